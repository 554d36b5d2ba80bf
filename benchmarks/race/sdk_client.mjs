// One race run with Pexip's own SDK: join as host with @pexip/infinity-api's
// requestToken, open the stream with @pexip/infinity's createEventSourceManager and
// listen on its signals (keeping a participant map, as the SDK's client does).
// Prints one JSON line. Usage: node sdk_client.mjs CACHE_DIR BASE_URL ALIAS WINDOW_S SETTLE_S
// (churn is counted for WINDOW_S seconds from SETTLE_S seconds after the sync)
// (the host PIN is read from the PEXTUI_RACE_PIN environment variable, never argv).
import { register } from "node:module";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

register("./loader.mjs", import.meta.url);

const [cacheDir, baseUrl, alias, windowArg, settleArg] = process.argv.slice(2);
const windowMs = Number(windowArg) * 1000;
const settleMs = Number(settleArg ?? "1") * 1000;
const pin = process.env.PEXTUI_RACE_PIN ?? "";
const modules = pathToFileURL(`${cacheDir}/node_modules/`).href;

globalThis.window ??= globalThis; // the manager's reconnect timer is window.setTimeout
if (typeof globalThis.EventSource === "undefined") {
  const polyfill = await import(`${modules}eventsource/dist/index.js`);
  globalThis.EventSource = polyfill.EventSource;
}
const api = await import(`${modules}@pexip/infinity-api/dist/index.js`);
const source = await import(`${modules}@pexip/infinity/dist/eventSource.js`);
const sdkLogger = await import(`${modules}@pexip/infinity/dist/logger.js`);
const silent = () => {};
// The default logger prints every event to the console; an app would not.
sdkLogger.setLogger({
  fatal: silent, error: silent, warn: silent, info: silent, debug: silent, trace: silent,
  silent, redact: (text) => text, addRedactPattern: silent,
});

const withPin = (input, init = {}) =>
  fetch(input, { ...init, headers: { ...(init.headers ?? {}), pin } });
const joined = await api.requestToken({
  fetcher: withPin,
  params: { conferenceAlias: alias },
  body: { display_name: "SDK race host" },
  host: baseUrl,
});
if (joined.status !== 200) {
  console.log(JSON.stringify({ error: `request_token answered ${joined.status}` }));
  process.exit(1);
}
const token = joined.data.result.token;

const signals = source.eventSignals;
const participants = new Map();
const result = { client: "sdk", synced: 0 };
let openedAt = null;
let syncEndAt = null;
let churn = 0;
let counting = false;
let countFrom = null;
let cpuAtCount = null;
let finish;
const done = new Promise((resolve) => { finish = resolve; });

signals.onConnected.add(() => { openedAt ??= performance.now(); });
// An app observes these too (the signal library warns about unobserved emits).
signals.onConferenceUpdate.add(() => {});
signals.onLayoutUpdate.add(() => {});
signals.onParticipantSyncBegin.add(() => participants.clear());
signals.onParticipantCreate.add((participant) => {
  participants.set(participant.uuid, participant);
  if (counting) churn += 1;
});
signals.onParticipantUpdate.add((participant) => {
  participants.set(participant.uuid, participant);
  if (counting) churn += 1;
});
signals.onParticipantDelete.add((uuid) => {
  participants.delete(uuid);
  if (counting) churn += 1;
});
signals.onParticipantSyncEnd.add(() => {
  if (syncEndAt !== null) return;
  syncEndAt = performance.now();
  result.synced = participants.size;
  setTimeout(() => {
    counting = true;
    countFrom = performance.now();
    cpuAtCount = process.cpuUsage();
    setTimeout(finish, windowMs);
  }, settleMs);
});

const manager = source.createEventSourceManager({ token });
const startedAt = performance.now();
await manager.connect(baseUrl, alias);
await done;
const window = (performance.now() - countFrom) / 1000;
const cpu = process.cpuUsage(cpuAtCount);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
manager.close();
result.sync_ms = syncEndAt - openedAt;
result.open_ms = openedAt - startedAt;
result.churn_events = churn;
result.churn_per_s = churn / window;
result.churn_cpu_share = cpuSeconds / window;
result.churn_per_cpu_s = cpuSeconds > 0 ? churn / cpuSeconds : 0;
const withToken = (input, init = {}) =>
  fetch(input, { ...init, headers: { ...(init.headers ?? {}), token } });
await api
  .releaseToken({ fetcher: withToken, params: { conferenceAlias: alias }, body: {}, host: baseUrl })
  .catch(() => {});
console.log(JSON.stringify(result));
process.exit(0);
