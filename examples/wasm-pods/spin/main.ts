// spin: a misbehaving WASI command that loops forever without yielding.
// Why: the isolation tests start it beside a healthy pod to show that a spinning guest
// neither stalls the kubelet nor other pods, and that it can still be stopped.

let counter: u64 = 0;

process.stdout.write("spin: looping forever\n");
while (true) {
  counter++;
  // Touch memory so no optimiser can prove the loop has no effect.
  store<u64>(0, counter);
}
