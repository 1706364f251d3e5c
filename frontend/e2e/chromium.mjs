// What the browser scripts (e2e/, bench/) share: their required environment, and Debian's Chromium,
// launched headless with nothing that reaches outside the machine.
import { chromium } from 'playwright-core';

/** A variable the script cannot run without. */
export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

export const launchChromium = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
