// memhog: a misbehaving WASI command that allocates memory without bound.
// Why: the isolation tests run it under a memory limit and expect it to end OOMKilled
// (its linear memory reaches the imposed maximum, growing fails and the guest traps)
// without touching the kubelet or other pods.

/** Bytes allocated per step. */
const CHUNK = 1 << 20;
/** Print progress every this many MiB. */
const REPORT_EVERY = 16;

const kept = new Array<ArrayBuffer>();
let mebibytes = 0;
process.stdout.write("memhog: allocating without bound\n");
while (true) {
  const chunk = new ArrayBuffer(CHUNK);
  store<u8>(changetype<usize>(chunk), 1);
  kept.push(chunk);
  mebibytes++;
  if (mebibytes % REPORT_EVERY == 0) process.stdout.write("memhog: " + mebibytes.toString() + " MiB\n");
}
