/**
 * What a process holds in TCP sockets, read from /proc (Linux only): the socket descriptors
 * in /proc/<pid>/fd, and each one's state from /proc/net/tcp and tcp6. The e2e suites use
 * it to see whether workerd lets go of the connections of clients that vanished.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { descendants } from "../../dev/cli.mjs";

/** Kernel TCP state numbers, as /proc/net/tcp prints them (include/net/tcp_states.h). */
const STATE_NAMES: Record<string, string> = {
  "01": "ESTABLISHED",
  "02": "SYN_SENT",
  "03": "SYN_RECV",
  "04": "FIN_WAIT1",
  "05": "FIN_WAIT2",
  "06": "TIME_WAIT",
  "07": "CLOSE",
  "08": "CLOSE_WAIT",
  "09": "LAST_ACK",
  "0A": "LISTEN",
  "0B": "CLOSING",
};

export interface TcpDescriptors {
  /** Socket descriptors whose inode is a TCP socket (a dup counts twice, as the kernel does). */
  tcp: number;
  /** The same descriptors by state, e.g. { ESTABLISHED: 4, CLOSE_WAIT: 200, LISTEN: 2 }. */
  byState: Record<string, number>;
}

/** The TCP sockets in this network namespace: inode -> state name. */
function tcpInodes(): Map<string, string> {
  const inodes = new Map<string, string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      inodes.set(cols[9], STATE_NAMES[cols[3]] ?? `state ${cols[3]}`);
    }
  }
  return inodes;
}

/** The TCP descriptors of the processes `pids`, summed. */
export function tcpDescriptors(pids: number[]): TcpDescriptors {
  const inodes = tcpInodes();
  const out: TcpDescriptors = { tcp: 0, byState: {} };
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited
    }
    for (const fd of fds) {
      let link = "";
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const state = inode ? inodes.get(inode) : undefined;
      if (!state) continue;
      out.tcp += 1;
      out.byState[state] = (out.byState[state] ?? 0) + 1;
    }
  }
  return out;
}

/** The workerd processes started under `parent` (wrangler dev starts one or more). */
export function workerdPids(parent: number): number[] {
  return descendants(parent)
    .filter((p: { comm: string }) => p.comm.startsWith("workerd"))
    .map((p: { pid: number }) => p.pid);
}

/** Resident memory of a process in MiB, from /proc/<pid>/status. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}
