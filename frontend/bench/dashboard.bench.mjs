// Dashboards under a fleet storm, in a real browser. Driven by fleet-bench's DashboardBench, which
// starts it against a running stack and speaks with it a line at a time (see the README's
// Performance section):
//   (it)  READY {first rows}      once every dashboard is open, each loaded cold on its own view
//   MARK name   ->  MARKED name   notes the time, each dashboard's clock and bytes received so far
//   CHECK       ->  CHECKED {…}   waits, up to 15 s, until every dashboard shows the counts control-api has,
//                                 and the statuses of the rows it shows are control-api's for its page
//   REPORT      ->  RESULT {…}    between each mark and the next: bytes received, main-thread long tasks
//   STOP                          closes the browser
// Environment: DASHBOARD_URL, ADMIN_TOKEN, DASHBOARDS (default 5), DASHBOARD_VIEWS (comma-separated, else the five below).
import { createInterface } from 'node:readline';
import { env, launchChromium } from '../e2e/chromium.mjs';

const dashboard = env('DASHBOARD_URL');
const token = env('ADMIN_TOKEN');
const count = Number(process.env.DASHBOARDS ?? '5');
// The views the dashboards keep open: the default page, a long one rendered virtually, a status filter
// and a last-seen sort (both read again when rows may move), connected ones only.
const VIEWS = process.env.DASHBOARD_VIEWS?.split(',') ??
  ['/', '/?size=200', '/?status=INACTIVE', '/?sort=lastSeen,desc', '/?connected=true&size=100'];
const STATUSES = ['ACTIVE', 'INACTIVE', 'INDEPENDENT', 'PENDING', 'UNKNOWN'];

// In each page before its own scripts: the token as if signed in, a record of main-thread tasks over
// 50 ms, and the moment the first fleet rows (or the word that there are none) appear.
const watch = (signedIn) => {
  window.sessionStorage.setItem('mooli.token', signedIn);
  window.__longTasks = [];
  new window.PerformanceObserver((list) => {
    for (const task of list.getEntries()) window.__longTasks.push([task.startTime, task.duration]);
  }).observe({ type: 'longtask', buffered: true });
  new window.MutationObserver((_, observer) => {
    // A view may have no rows yet (INACTIVE ones before the storm): its first answer is then that none match.
    if (document.querySelector('[data-testid^="row-"]') || document.body?.textContent.includes('No orchestrators match.')) {
      window.__firstRowsAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

const browser = await launchChromium();
const dashboards = [];
try {
  // One at a time, each in a context of its own (no shared cache): the time to first rows is a cold load's.
  for (let i = 0; i < count; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript(watch, token);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const cdp = await context.newCDPSession(page);
    const received = { bytes: 0 };
    // The page of orchestrators it last asked control-api for, to hold what it shows to the answer.
    const asked = { page: null };
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/orchestrator-instances')) asked.page = url.pathname + url.search;
    });
    await cdp.send('Network.enable');
    cdp.on('Network.dataReceived', (event) => {
      received.bytes += event.encodedDataLength || event.dataLength;
    });
    await page.goto(new URL(VIEWS[i % VIEWS.length], dashboard).toString());
    await page.waitForFunction(() => window.__firstRowsAt !== undefined);
    await page.getByText('Live', { exact: true }).waitFor();
    // Where the time to the first rows went: the scripts arriving, then the page of orchestrators.
    const firstRows = await page.evaluate(() => {
      const resources = window.performance.getEntriesByType('resource');
      const ended = (test) => Math.max(0, ...resources.filter((r) => test(r.name)).map((r) => r.responseEnd));
      return {
        firstRowsMs: window.__firstRowsAt,
        scriptsLoadedMs: ended((name) => name.endsWith('.js')),
        pageReadMs: ended((name) => name.includes('/orchestrator-instances?')),
      };
    });
    dashboards.push({ view: VIEWS[i % VIEWS.length], page, received, asked, ...firstRows, marks: [] });
  }
  console.log(`READY ${JSON.stringify(dashboards.map(({ view, firstRowsMs, scriptsLoadedMs, pageReadMs }) =>
    ({ view, firstRowsMs, scriptsLoadedMs, pageReadMs })))}`);

  const marks = [];
  const read = async (path) =>
    (await fetch(new URL(path, dashboard), { headers: { Authorization: `Bearer ${token}` } })).json();
  const apiCounts = async () => {
    const { counts } = await read('/api/v1/controller/orchestrators/summary');
    return Object.fromEntries(STATUSES.map((s) => [s, counts[s] ?? 0]));
  };
  // Each row the dashboard shows whose status is not control-api's for the same page: [id, shown, control-api's].
  // A page sorted by last seen is as of its latest read (heartbeats move its rows all the time): its
  // rows no longer on control-api's page are compared with their orchestrators' status instead.
  const rowsAmiss = async (d) => {
    const shown = await d.page.evaluate(() => [...document.querySelectorAll('[data-testid^="row-"]')]
      .map((row) => [row.dataset.testid.slice('row-'.length), row.children[1].textContent.trim()]));
    const answer = new Map((await read(d.asked.page)).items.map((i) => [i.orchestratorId, i.liveness.status]));
    if (new URLSearchParams(d.asked.page.split('?')[1]).get('sort')?.startsWith('lastSeen')) {
      for (const [id] of shown.filter(([id]) => !answer.has(id))) {
        answer.set(id, (await read(`/api/v1/controller/orchestrator-instances/${encodeURIComponent(id)}`)).liveness.status);
      }
    }
    return { compared: shown.length, amiss: shown.filter(([id, status]) => answer.get(id) !== status)
      .map(([id, status]) => [id, status, answer.get(id) ?? 'not on the page']) };
  };
  const shownCounts = (page) =>
    page.evaluate((statuses) => Object.fromEntries(statuses.map((s) => [s,
      Number((document.querySelector(`[data-testid="count-${s}"]`)?.textContent ?? '').replace(/\D/g, ''))])), STATUSES);

  for await (const line of createInterface({ input: process.stdin })) {
    const [command, ...rest] = line.split(' ');
    const argument = rest.join(' ');
    if (command === 'MARK') {
      marks.push(argument);
      for (const d of dashboards) {
        d.marks.push({ at: await d.page.evaluate(() => performance.now()), bytes: d.received.bytes });
      }
      console.log(`MARKED ${argument}`);
    } else if (command === 'CHECK') {
      const checked = [];
      for (const d of dashboards) {
        const started = Date.now();
        const look = async () => [await shownCounts(d.page), await apiCounts(), await rowsAmiss(d)];
        const agree = ([shown, want, rows]) => JSON.stringify(shown) === JSON.stringify(want) && rows.amiss.length === 0;
        let seen = await look();
        while (!agree(seen) && Date.now() - started < 15_000) {
          await d.page.waitForTimeout(200);
          seen = await look();
        }
        const [shown, want, rows] = seen;
        checked.push({ view: d.view, matches: agree(seen), shown, api: want, rowsCompared: rows.compared, rowsAmiss: rows.amiss });
      }
      console.log(`CHECKED ${JSON.stringify(checked)}`);
    } else if (command === 'REPORT') {
      const result = [];
      for (const d of dashboards) {
        const tasks = await d.page.evaluate(() => window.__longTasks);
        const intervals = {};
        for (let m = 0; m + 1 < d.marks.length; m++) {
          const [from, to] = [d.marks[m], d.marks[m + 1]];
          const within = tasks.filter(([start]) => start >= from.at && start < to.at).map(([, duration]) => duration);
          const seconds = (to.at - from.at) / 1000;
          intervals[marks[m]] = {
            seconds,
            bytes: to.bytes - from.bytes,
            bytesPerSecond: (to.bytes - from.bytes) / seconds,
            longTasks: within.length,
            longestTaskMs: within.length ? Math.max(...within) : 0,
          };
        }
        result.push({ view: d.view, firstRowsMs: d.firstRowsMs, intervals });
      }
      console.log(`RESULT ${JSON.stringify(result)}`);
    } else if (command === 'STOP') {
      break;
    }
  }
} finally {
  await browser.close();
  process.stdin.destroy();
}
