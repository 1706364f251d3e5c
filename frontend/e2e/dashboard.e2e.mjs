// The dashboard in a real browser against the real stack: an admin creates an organization and an
// orchestrator, a real agent connects with the token the dashboard showed, the admin accepts its
// recommendation and sets it free, and finds each action in the activity log; approves an agent that
// connected unregistered and waits for approval, and sees it turn ACTIVE; then takes the first back,
// stops its agent and times the fleet page turning it INACTIVE, live. Saves screenshots.
//
// Run by the e2e module (ai.moolai.e2e.DashboardEndToEndTest) against the stack it starts:
//   DASHBOARD_URL, ADMIN_TOKEN, EDGE_URL, AGENT_JAR, JAVA, WORK_DIR, SCREENSHOTS
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { env, launchChromium } from './chromium.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const dashboard = env('DASHBOARD_URL');
const screenshots = env('SCREENSHOTS');
const work = env('WORK_DIR');
mkdirSync(screenshots, { recursive: true });

const suffix = Math.random().toString(36).slice(2, 8);
const organizationId = `ui-${suffix}`;
const orchestratorId = `ui-${suffix}-1`;
const step = (text) => console.log(`${new Date().toISOString()} ${text}`);
// A Mantine switch is a visually hidden checkbox: a click at its place may land on whatever covers
// it (the fixed header, once the page has scrolled), so the click is dispatched on the input itself.
const toggle = (control) => control.dispatchEvent('click');

const browser = await launchChromium();
let agent;
let newcomer;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, reducedMotion: 'reduce' });
  page.setDefaultTimeout(20_000);
  // Every screenshot also runs axe-core on the page; serious and critical findings fail the test.
  const violations = [];
  const shoot = async (name) => {
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of result.violations.filter((found) => ['serious', 'critical'].includes(found.impact))) {
      violations.push(`${name}: ${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    }
  };

  // The fleet page shows a page at a time; an operator looking for one orchestrator searches for it.
  const showInFleet = async (id) => {
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByLabel('Search').fill(id);
    // The search goes to the URL once the typing pauses: wait for it, so that it is not still on its way
    // when the test goes on to another page.
    await page.waitForURL((url) => url.searchParams.get('q') === id);
    return page.getByTestId(`row-${id}`);
  };

  step('sign in');
  await page.goto(dashboard);
  await page.getByLabel('Access token').fill(env('ADMIN_TOKEN'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Fleet' }).waitFor();
  await page.getByText('Live', { exact: true }).waitFor();

  step('create an organization');
  await page.getByRole('link', { name: 'Organizations' }).click();
  await page.getByRole('button', { name: 'New organization' }).click();
  const orgDialog = page.getByRole('dialog', { name: 'New organization' });
  await orgDialog.getByLabel('Organization id').fill(organizationId);
  await orgDialog.getByLabel('Name').fill(`UI Test ${suffix}`);
  await orgDialog.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('link', { name: `UI Test ${suffix}` }).click();
  await page.getByRole('heading', { name: `UI Test ${suffix}` }).waitFor();

  step('create an orchestrator and read its token');
  await page.getByRole('button', { name: 'New orchestrator' }).click();
  const newDialog = page.getByRole('dialog', { name: 'New orchestrator' });
  await newDialog.getByLabel('Orchestrator id').fill(orchestratorId);
  await newDialog.getByLabel('Name').fill('UI orchestrator');
  await newDialog.getByRole('button', { name: 'Create' }).click();
  const token = (await page.getByTestId('token').innerText()).trim();
  if (!token.startsWith('mo_')) throw new Error(`unexpected token ${token}`);
  await shoot('token-shown-once');
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('heading', { name: 'UI orchestrator' }).waitFor();

  step('start an agent with that token');
  mkdirSync(join(work, orchestratorId), { recursive: true });
  agent = spawn(env('JAVA'), ['-Xmx64m', '-jar', env('AGENT_JAR')], {
    env: {
      ...process.env,
      ORCHESTRATOR_ID: orchestratorId,
      ORCHESTRATOR_TOKEN: token,
      CONTROLLER_WS_URL: env('EDGE_URL'),
      ORCHESTRATOR_ENV_FILE: join(work, orchestratorId, '.env'),
      WEBSOCKET_KEEPALIVE_INTERVAL: '3',
      INDEPENDENCE_POLL_INTERVAL_SEC: '1',
      AGENT_REPORT_INTERVAL_SEC: '1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });

  step('see it turn ACTIVE without a reload');
  const header = page.getByRole('heading', { name: 'UI orchestrator' }).locator('..');
  await header.getByText('ACTIVE', { exact: true }).waitFor({ timeout: 60_000 });
  await page.getByText('Connected to').waitFor();

  step('accept its recommendation');
  const recommendation = page.locator('[data-testid^="recommendation-"]').first();
  await recommendation.waitFor({ timeout: 60_000 });
  await recommendation.getByLabel('Note').fill('Accepted from the end-to-end test');
  await recommendation.getByRole('button', { name: /^Accept/ }).click();
  await recommendation.getByText('Accepted by').waitFor();
  await page.getByRole('table', { name: 'Latest monitoring report' }).waitFor();
  await shoot('orchestrator');

  step('set it free and see the orchestrator confirm');
  await toggle(page.getByRole('switch', { name: /Independence mode/ }));
  await page.getByRole('dialog', { name: 'Set this orchestrator free?' }).getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Independent: confirmed by the orchestrator').waitFor({ timeout: 30_000 });
  await header.getByText('INDEPENDENT', { exact: true }).waitFor();
  const envFile = readFileSync(join(work, orchestratorId, '.env'), 'utf8');
  if (!/^ORCHESTRATOR_INDEPENDENT=true$/m.test(envFile)) throw new Error(`the agent's .env says:\n${envFile}`);
  await shoot('orchestrator-independent');

  step('find every action in the activity log');
  await page.getByRole('link', { name: 'Activity log' }).click();
  const log = page.getByRole('table', { name: 'Activity' });
  for (const [action, target] of [
    ['organization.created', organizationId],
    ['orchestrator.created', orchestratorId],
    ['recommendation.accepted', null],
    ['orchestrator.independence.set', orchestratorId],
  ]) {
    const row = log.getByRole('row').filter({ hasText: action });
    await (target ? row.filter({ hasText: target }) : row).first().waitFor();
  }
  await shoot('activity');

  step('screenshots of the other pages');
  await (await showInFleet(orchestratorId)).getByText('INDEPENDENT', { exact: true }).waitFor();
  await shoot('fleet');
  await page.getByRole('link', { name: 'Organizations' }).click();
  await page.getByRole('table', { name: 'Organizations' }).waitFor();
  await shoot('organizations');
  await page.getByRole('link', { name: 'Recommendations' }).click();
  await page.getByText('All', { exact: true }).click();
  await page.locator('[data-testid^="recommendation-"]').first().waitFor();
  await shoot('recommendations');

  step('the pipeline health page: every service ready, the edge heard');
  await page.getByRole('link', { name: 'Pipeline', exact: true }).click();
  await page.getByRole('heading', { name: 'Pipeline' }).waitFor();
  const services = page.getByRole('table', { name: 'Services' });
  for (const service of ['control-api', 'ws-edge', 'liveness-stream', 'report-ingest']) {
    await services.getByRole('row').filter({ hasText: service }).getByText('UP', { exact: true }).first().waitFor();
  }
  await page.getByRole('table', { name: 'Edges' }).getByRole('row').nth(1).waitFor();
  await page.getByRole('table', { name: 'Consumers' }).getByRole('row').filter({ hasText: 'report-ingest' }).first().waitFor();
  await shoot('pipeline');

  step('approve an orchestrator waiting for approval and see it turn ACTIVE');
  const newcomerId = `ui-${suffix}-new`;
  mkdirSync(join(work, newcomerId), { recursive: true });
  newcomer = spawn(env('JAVA'), ['-Xmx64m', '-jar', env('AGENT_JAR')], {
    env: {
      ...process.env,
      ORCHESTRATOR_ID: newcomerId,
      CONTROLLER_WS_URL: env('EDGE_URL'),
      ORCHESTRATOR_ENV_FILE: join(work, newcomerId, '.env'),
      WEBSOCKET_KEEPALIVE_INTERVAL: '3',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await page.getByRole('link', { name: 'Waiting for approval' }).click();
  const waiting = page.getByTestId(`waiting-${newcomerId}`);
  await waiting.getByText('connected', { exact: true }).waitFor({ timeout: 60_000 });
  await shoot('waiting-for-approval');
  await waiting.getByRole('button', { name: `Approve ${newcomerId}` }).click();
  const approveDialog = page.getByRole('dialog', { name: `Approve ${newcomerId}` });
  await approveDialog.getByRole('combobox', { name: 'Organization' }).click();
  await page.getByRole('option', { name: `UI Test ${suffix} (${organizationId})` }).click();
  await approveDialog.getByRole('button', { name: 'Approve' }).click();
  await waiting.waitFor({ state: 'detached' });
  await (await showInFleet(newcomerId)).getByText('ACTIVE', { exact: true }).waitFor({ timeout: 30_000 });
  const newcomerEnv = readFileSync(join(work, newcomerId, '.env'), 'utf8');
  if (!/^ORCHESTRATOR_TOKEN=mo_/m.test(newcomerEnv)) throw new Error(`the enrolled agent's .env says:\n${newcomerEnv}`);

  step('take it back, then stop the agent and watch the fleet page turn it INACTIVE');
  await (await showInFleet(orchestratorId)).getByRole('link', { name: 'UI orchestrator' }).click();
  await toggle(page.getByRole('switch', { name: /Independence mode/ }));
  await page.getByRole('dialog', { name: 'Bring this orchestrator back under management?' }).getByRole('button', { name: 'Confirm' }).click();
  await header.getByText('ACTIVE', { exact: true }).waitFor({ timeout: 30_000 });
  const row = await showInFleet(orchestratorId);
  await row.getByText('ACTIVE', { exact: true }).waitFor();
  const stopped = Date.now();
  agent.kill('SIGTERM');
  await row.getByText('INACTIVE', { exact: true }).waitFor({ timeout: 10_000 });
  const shownAfter = Date.now() - stopped;
  step(`the fleet page showed INACTIVE ${shownAfter} ms after the agent was stopped`);
  if (shownAfter > 3000) throw new Error(`INACTIVE took ${shownAfter} ms to show`);
  if (violations.length) throw new Error(`accessibility violations:\n${violations.join('\n')}`);
  step('done');
} catch (failure) {
  // What the page showed when it failed, for whoever reads the log.
  const [open] = browser.contexts().flatMap((context) => context.pages());
  if (open) {
    step(`failed at ${open.url()}`);
    await open.screenshot({ path: join(screenshots, 'failure.png'), fullPage: true }).catch(() => {});
  }
  throw failure;
} finally {
  agent?.kill('SIGKILL');
  newcomer?.kill('SIGKILL');
  await browser.close();
}
