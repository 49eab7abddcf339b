// A preload for test processes (`node --import <this file>`, e.g. through NODE_OPTIONS) that
// skews the process's wall clock: Date.now() and `new Date()` read the real time plus an offset.
//   CLOCK_SKEW_MS        the offset at start (negative: the process's clock is behind)
//   CLOCK_STEP_BACK_MS   with CLOCK_STEP_EVERY_MS: every that many ms, the offset drops by this
//                        much (the clock steps backwards, as after an NTP correction)
// Timers and performance.now() are untouched (they run on the monotonic clock). Tests only.
const skew = Number(process.env.CLOCK_SKEW_MS ?? 0);
const stepBack = Number(process.env.CLOCK_STEP_BACK_MS ?? 0);
const stepEvery = Number(process.env.CLOCK_STEP_EVERY_MS ?? 0);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const started = realNow();
const offset = () => skew - (stepBack > 0 && stepEvery > 0 ? Math.floor((realNow() - started) / stepEvery) * stepBack : 0);

const now = () => realNow() + offset();
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
  apply: () => new RealDate(now()).toString(),
  get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
});
