// batch: a run-to-completion WASI command. It prints a mounted config file and exits 0;
// `--fail` (or env FAIL=1) makes it exit 1, and `--write PATH` tries to write a file so a
// test can see a read-only mount refuse the write (exit 3).
// `--append PATH` (done first) prints what earlier runs left in PATH, one `seen: LINE` each, and
// adds a line with this pod's name: a StatefulSet's replacement pod shows it kept its claim.
// Config path: `--config PATH`, else env CONFIG_FILE, else /config/config.txt.
import { envOr, flagValue, hasFlag } from "../common/env";
import { readFile, writeFile } from "../common/fs";

/** Exit code when the config file cannot be read. */
const EXIT_NO_CONFIG = 2;
/** Exit code when `--write` was refused. */
const EXIT_WRITE_REFUSED = 3;

const appendPath = flagValue("--append", "");
if (appendPath.length > 0) {
  const before = readFile(appendPath);
  const previous = before.ok ? before.text : "";
  const seen = previous.split("\n");
  for (let i = 0; i < seen.length; i++) {
    if (seen[i].length > 0) process.stdout.write("seen: " + seen[i] + "\n");
  }
  const appended = writeFile(appendPath, previous + envOr("POD_NAME", "unknown") + "\n");
  if (!appended.ok) {
    process.stderr.write("batch: append to " + appendPath + " refused: " + appended.text + "\n");
    process.exit(EXIT_WRITE_REFUSED);
  }
}

const configPath = flagValue("--config", envOr("CONFIG_FILE", "/config/config.txt"));
process.stdout.write("batch: pod " + envOr("POD_NAME", "unknown") + " reading " + configPath + "\n");

const config = readFile(configPath);
if (!config.ok) {
  process.stderr.write("batch: cannot read " + configPath + ": " + config.text + "\n");
  process.exit(EXIT_NO_CONFIG);
}
const lines = config.text.split("\n");
for (let i = 0; i < lines.length; i++) {
  if (lines[i].length > 0) process.stdout.write("config: " + lines[i] + "\n");
}

const writePath = flagValue("--write", "");
if (writePath.length > 0) {
  const written = writeFile(writePath, "written by batch\n");
  if (!written.ok) {
    process.stderr.write("batch: write to " + writePath + " refused: " + written.text + "\n");
    process.exit(EXIT_WRITE_REFUSED);
  }
  process.stdout.write("batch: wrote " + writePath + "\n");
}

if (hasFlag("--fail") || envOr("FAIL", "0") == "1") {
  process.stderr.write("batch: failing as asked\n");
  process.exit(1);
}
process.stdout.write("batch: done\n");
