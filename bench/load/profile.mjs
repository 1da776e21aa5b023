/**
 * CPU profile of the Worker's isolate in workerd over the V8 inspector (Chrome DevTools
 * protocol): `startProfile(port)` begins sampling, the returned `stop(file)` writes a
 * .cpuprofile (open it in Chrome DevTools or speedscope) and returns the top functions by
 * self time, which the benchmark prints.
 */
import { writeFileSync } from "node:fs";
import WebSocket from "ws";

export async function startProfile(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const sessions = [];
  for (const t of targets) {
    if (!t.webSocketDebuggerUrl) continue;
    const ws = new WebSocket(t.webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise((ok, fail) => (ws.once("open", ok), ws.once("error", fail)));
    let id = 0;
    const pending = new Map();
    ws.on("message", (d) => {
      const m = JSON.parse(d.toString());
      if (m.id && pending.has(m.id)) {
        pending.get(m.id)(m);
        pending.delete(m.id);
      }
    });
    const send = (method, params = {}) =>
      new Promise((ok) => {
        id += 1;
        pending.set(id, ok);
        ws.send(JSON.stringify({ id, method, params }));
      });
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: 500 });
    await send("Profiler.start");
    sessions.push({ title: t.title, ws, send });
  }
  return async function stop(file) {
    const tops = [];
    for (const [i, s] of sessions.entries()) {
      const res = await s.send("Profiler.stop");
      s.ws.close();
      const profile = res.result?.profile;
      if (!profile) continue;
      const out = sessions.length > 1 ? file.replace(/\.cpuprofile$/, `.${i}.cpuprofile`) : file;
      writeFileSync(out, JSON.stringify(profile));
      tops.push({ target: s.title, file: out, top: topSelf(profile, 25) });
    }
    return tops;
  };
}

/** Self time per function (name, url:line), in ms, biggest first. */
function topSelf(profile, n) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const spanMs = (profile.endTime - profile.startTime) / 1000;
  const agg = new Map();
  for (const [id, c] of counts) {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
    agg.set(key, (agg.get(key) ?? 0) + c);
  }
  return [...agg.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, c]) => ({ fn, pct: Number(((c / total) * 100).toFixed(1)), ms: Math.round((c / total) * spanMs) }));
}
