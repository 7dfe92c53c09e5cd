// The explorer's page: its state, its controls, and what each of them asks the server.
// Every number shown comes from the server (the engine, in Python); this file only
// keeps the state, sends it, and draws the answers.

import { Channel, getJson, post } from "./api.js";
import { applyTexts, loadMessages, t } from "./i18n.js";
import { Chart, extent, legend } from "./charts.js";
import { GraphView } from "./graph.js";
import { drawBoundary } from "./boundary.js";
import { percent, scientific, significant, step } from "./format.js";
import { decode, encode } from "./urlstate.js";

const $ = (id) => document.getElementById(id);
const LOSSES = ["mse", "cross-entropy"];
const LOSS_NAME = { mse: "explore.loss.mse", "cross-entropy": "explore.loss.ce" };
const LESSON_TOLERANCE = 1e-5; // "A diferença deve ser < 1e-5"
const MAX_TOTAL_STEPS = 5000; // training steps a page (or a shared address) may take in all
const SWEEP_EVERY = 8; // while playing, the slower pictures follow every this many frames

let config = null;
const state = {
  lang: "en",
  setup: null,
  loss: "cross-entropy",
  weight: 0,
  range: 3,
  hExponent: -3,
  lr: 0.5,
  example: 0,
  start: null, // the weights the race started from, when not the seed's
  segments: [], // [[lr, steps], ...] taken since the start
  initial: [], // the seed's weights
  names: [],
  points: [],
  labels: [],
  runs: { mse: [], "cross-entropy": [] },
  history: { mse: [], "cross-entropy": [] },
  point: null,
  curve: null,
  sweep: null,
  boundary: null,
  layout: null,
  nudge: null,
  playing: false,
  training: false,
  queuedSteps: 0,
};

const graph = new GraphView($("graph"), (name) => selectWeight(state.names.indexOf(name)));

// --- talking to the server ---------------------------------------------------------------

const weights = () => state.runs[state.loss];
const h = () => 10 ** state.hExponent;
const sameSetup = (body) => JSON.stringify(body.setup) === JSON.stringify(state.setup);

function showError(error) {
  const box = $("error");
  box.textContent = error.message;
  box.hidden = false;
  state.playing = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

const channels = {
  point: new Channel("/api/point", (answer, body) => {
    if (!sameSetup(body)) return;
    clearError();
    state.point = answer;
    if (state.history.mse.length === 0) {
      const metrics = { ...answer.loss, accuracy: answer.accuracy };
      for (const loss of LOSSES) state.history[loss] = [metrics];
      renderRace();
    }
    renderPoint();
  }, showError),
  curve: new Channel("/api/curve", (answer, body) => {
    if (!sameSetup(body)) return;
    state.curve = { ...answer, weight: body.weight };
    renderCurve();
  }, showError),
  sweep: new Channel("/api/sweep", (answer, body) => {
    if (!sameSetup(body)) return;
    state.sweep = answer;
    renderErrors();
  }, showError),
  boundary: new Channel("/api/boundary", (answer, body) => {
    if (!sameSetup(body)) return;
    state.boundary = answer;
    renderBoundary();
  }, showError),
};

const base = () => ({ setup: state.setup, weights: weights() });

function askPoint() {
  return channels.point.request(() => ({
    ...base(), loss: state.loss, weight: state.weight, h: h(), example: state.example,
  }));
}

function askCurve() {
  return channels.curve.request(() => ({
    ...base(), weight: state.weight, low: -state.range, high: state.range,
    points: config.defaults.curve_points,
  }));
}

function askSweep() {
  return channels.sweep.request(() => ({ ...base(), loss: state.loss, weight: state.weight }));
}

function askBoundary() {
  return channels.boundary.request(() => ({
    ...base(), resolution: config.defaults.resolution,
  }));
}

function askEverything() {
  return Promise.all([askPoint(), askCurve(), askSweep(), askBoundary()]);
}

async function askLayout() {
  state.layout = await post("/api/graph", {
    ...base(), loss: state.loss, example: state.example,
  });
  graph.build(state.layout);
  renderGraphCaption();
  if (state.point) graph.update(state.point.graph, state.names[state.weight]);
}

// --- the model, the race and its history ------------------------------------------------------

async function loadModel() {
  state.playing = false;
  const answer = await post("/api/model", { setup: state.setup });
  state.setup = answer.setup;
  state.initial = answer.weights;
  state.names = answer.names;
  state.points = answer.points;
  state.labels = answer.labels;
  state.weight = Math.min(Math.max(0, Math.trunc(state.weight) || 0), state.names.length - 1);
  state.example = Math.min(Math.max(0, Math.trunc(state.example) || 0), state.points.length - 1);
  const start = state.start || state.initial;
  state.runs = { mse: [...start], "cross-entropy": [...start] };
  state.history = { mse: [], "cross-entropy": [] };
  state.point = state.curve = state.sweep = state.boundary = state.nudge = null;
  const segments = state.segments;
  state.segments = [];
  for (const [lr, steps] of segments) await train(lr, steps);
  fillSetupForm();
  fillWeightSelect();
  if (!(Math.abs(weights()[state.weight]) + 0.5 <= state.range)) {
    state.range = rangeFor(weights()[state.weight]);
  }
  configureSlider();
  renderNudge();
  renderRace();
  await askLayout();
  await askEverything();
  updateAddress();
}

/** `steps` steps at learning rate `lr` for both runs, in requests of at most the server's limit. */
async function train(lr, steps) {
  let left = Math.trunc(steps);
  if (!(left >= 0) || !(lr > 0)) throw new Error(t("explore.error.bad_address"));
  const taken = state.segments.reduce((total, [, count]) => total + count, 0);
  if (taken + left > MAX_TOTAL_STEPS) {
    throw new Error(t("explore.error.too_many_steps", { limit: MAX_TOTAL_STEPS }));
  }
  while (left > 0) {
    const count = Math.min(left, config.limits.steps);
    const answer = await post("/api/train", { setup: state.setup, runs: state.runs, lr, steps: count });
    for (const loss of LOSSES) {
      const run = answer.runs[loss];
      state.runs[loss] = run.weights;
      if (state.history[loss].length === 0) state.history[loss].push(run.before);
      state.history[loss].push(...run.history);
    }
    const last = state.segments[state.segments.length - 1];
    if (last && last[0] === lr) last[1] += count;
    else state.segments.push([lr, count]);
    left -= count;
  }
}

function totalSteps() {
  return state.segments.reduce((total, [, count]) => total + count, 0);
}

/** Train `steps` steps from the buttons (clicks while training wait their turn), then
 * refresh what the new weights change: everything, or only the quick pictures. */
async function trainFromButtons(steps, everything = true) {
  state.queuedSteps += steps;
  if (state.training) return;
  state.training = true;
  try {
    while (state.queuedSteps > 0) {
      const count = state.queuedSteps;
      state.queuedSteps = 0;
      await train(state.lr, count);
    }
  } catch (error) {
    state.queuedSteps = 0;
    showError(error);
    return;
  } finally {
    state.training = false;
  }
  renderRace();
  const w = weights()[state.weight];
  if (Math.abs(w) + 0.5 > state.range) {
    state.range = rangeFor(w);
    configureSlider();
  }
  syncSlider();
  updateAddress();
  if (everything) await askEverything();
  else await Promise.all([askPoint(), askBoundary()]);
}

async function play() {
  if (state.playing) return;
  state.playing = true;
  renderTrainStatus();
  let frame = 0;
  while (state.playing) {
    if (totalSteps() + config.defaults.steps_per_frame > MAX_TOTAL_STEPS) break;
    frame += 1;
    await trainFromButtons(config.defaults.steps_per_frame, frame % SWEEP_EVERY === 0);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  state.playing = false;
  renderTrainStatus();
  await Promise.all([askCurve(), askSweep()]);
}

function pause() {
  state.playing = false;
}

/** Moving a weight by hand starts a new race from the weights shown. */
function restartFrom(newWeights) {
  state.playing = false;
  state.runs = { mse: [...newWeights], "cross-entropy": [...newWeights] };
  const isSeed = newWeights.every((w, i) => w === state.initial[i]);
  state.start = isSeed ? null : [...newWeights];
  state.segments = [];
  state.history = { mse: [], "cross-entropy": [] };
  state.nudge = null;
  renderNudge();
  renderRace();
}

// --- the controls ---------------------------------------------------------------------------

/** A symmetric slider range [-R, R] holding w with room to move: 3, 6, 12, ... */
function rangeFor(w) {
  let range = 3;
  while (Math.abs(w) + 0.5 > range && range < config.limits.range) range *= 2;
  return Math.min(range, config.limits.range);
}

function configureSlider() {
  const slider = $("weight-slider");
  slider.min = String(-state.range);
  slider.max = String(state.range);
  slider.step = String(state.range / 1000);
  syncSlider();
}

function syncSlider() {
  $("weight-slider").value = String(weights()[state.weight]);
  $("weight-value").textContent = significant(weights()[state.weight], 6);
}

function selectWeight(index) {
  if (index < 0) return;
  state.weight = index;
  $("weight-select").value = String(index);
  state.range = rangeFor(weights()[index]);
  configureSlider();
  state.nudge = null;
  renderNudge();
  state.curve = null;
  askEverything();
  if (state.point) graph.update(state.point.graph, state.names[index]);
  updateAddress();
}

function role(name) {
  const match = /^layers\.(\d+)\.neurons\.(\d+)\.(w\.(\d+)|b)$/.exec(name);
  if (!match) return "";
  const layer = Number(match[1]);
  const last = layer === state.setup.hidden.length;
  const neuron = last ? "z" : `h${layer}.${match[2]}`;
  if (match[3] === "b") return t("explore.weight.role_b", { neuron });
  const input = layer === 0 ? `x${match[4]}` : `h${layer - 1}.${match[4]}`;
  return t("explore.weight.role_w", { input, neuron });
}

function fillWeightSelect() {
  const select = $("weight-select");
  select.replaceChildren();
  state.names.forEach((name, index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = `${name} — ${role(name)}`;
    select.appendChild(option);
  });
  select.value = String(state.weight);
}

function fillChoices(select, values, keyPrefix, chosen) {
  select.replaceChildren();
  for (const value of values) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = t(`${keyPrefix}${value}`);
    select.appendChild(option);
  }
  select.value = chosen;
}

function fillSetupForm() {
  fillChoices($("dataset-select"), config.choices.datasets, "explore.dataset.", state.setup.dataset);
  fillChoices($("activation-select"), config.choices.activations, "explore.activation.",
    state.setup.activation);
  $("n-input").value = String(state.setup.n);
  $("n-input").max = String(config.limits.points[1]);
  $("hidden-input").value = state.setup.hidden.join(",");
  $("seed-input").value = String(state.setup.seed);
  const loss = $("loss-select");
  loss.replaceChildren();
  for (const value of LOSSES) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = t(LOSS_NAME[value]);
    loss.appendChild(option);
  }
  loss.value = state.loss;
  $("lr-input").value = String(state.lr);
  $("example-input").value = String(state.example);
  $("example-input").max = String(state.points.length - 1);
  $("h-slider").value = String(state.hExponent);
  $("h-value").textContent = step(state.hExponent);
  const hidden = state.setup.hidden.length ? `${state.setup.hidden.join(", ")}, ` : "";
  $("setup-summary").textContent = t("explore.setup.summary", {
    model: `MLP(2, [${hidden}1], ${state.setup.activation})`,
    parameters: state.names.length,
    n: state.points.length,
  });
}

function readSetupForm() {
  const hiddenText = $("hidden-input").value.trim();
  const hidden = hiddenText === "" ? [] : hiddenText.split(",").map((part) => {
    const value = Number(part.trim());
    return Number.isFinite(value) && part.trim() !== "" ? value : part.trim();
  });
  return {
    dataset: $("dataset-select").value,
    n: Number($("n-input").value),
    noise: state.setup.noise,
    hidden,
    activation: $("activation-select").value,
    seed: Number($("seed-input").value),
  };
}

function updateAddress() {
  const address = `${location.pathname}?${encode(state)}`;
  history.replaceState(null, "", address);
}

// --- drawing the answers ------------------------------------------------------------------------

function setNumber(id, value, text) {
  const node = $(id);
  node.textContent = text;
  node.dataset.value = value === null || value === undefined ? "" : String(value);
}

function renderPoint() {
  const answer = state.point;
  if (!answer) return;
  setNumber("loss-mse", answer.loss.mse, significant(answer.loss.mse, 7));
  setNumber("loss-ce", answer.loss["cross-entropy"], significant(answer.loss["cross-entropy"], 7));
  $("mse-box").classList.toggle("chosen", state.loss === "mse");
  $("ce-box").classList.toggle("chosen", state.loss === "cross-entropy");
  setNumber("gradient", answer.gradient, significant(answer.gradient, 10));
  $("weight-value").textContent = significant(answer.value, 6);
  const name = state.names[state.weight];
  const reading = answer.gradient > 0 ? "up" : answer.gradient < 0 ? "down" : "flat";
  $("gradient-reading").textContent = t(`explore.reading.${reading}`, { name });
  for (const method of ["forward", "central"]) {
    const result = answer[method];
    setNumber(`fd-${method}`, result.estimate, significant(result.estimate, 10));
    setNumber(`fd-${method}-error`, result.error, scientific(result.error));
    setNumber(`fd-${method}-predicted`, result.predicted, scientific(result.predicted));
  }
  const verdict = (error) => t(Math.abs(error) < LESSON_TOLERANCE
    ? "explore.check.passes" : "explore.check.misses");
  $("check-verdict").textContent = t("explore.check.verdict", {
    h: step(state.hExponent),
    forward: scientific(Math.abs(answer.forward.error)),
    forward_verdict: verdict(answer.forward.error),
    central: scientific(Math.abs(answer.central.error)),
    central_verdict: verdict(answer.central.error),
  });
  graph.update(answer.graph, name);
  renderCurve();
  renderErrors();
}

function renderCurve() {
  const chart = new Chart($("curve-chart"), { height: 240 });
  const curve = state.curve;
  const point = state.point;
  const lossName = t(LOSS_NAME[state.loss]);
  const name = state.names[state.weight] || "w";
  legend($("curve-legend"), [
    ["curve", t("explore.curve.loss", { loss: lossName })],
    ["tangent", t("explore.curve.tangent")],
    ["secant-forward", t("explore.curve.forward")],
    ["secant-central", t("explore.curve.central")],
  ]);
  if (!curve || curve.weight !== state.weight) {
    chart.drawAxes(name, lossName);
    return;
  }
  const values = curve[state.loss];
  const [y0, y1] = extent(values.concat(point ? [point.around.w] : []));
  chart.setDomain(-state.range, state.range, y0, y1);
  chart.drawAxes(name, lossName);
  chart.path(chart.data, curve.w.map((w, i) => [w, values[i]]), "curve");
  if (!point) return;
  const w = point.value;
  const L = point.around.w;
  const half = state.range / 3;
  const line = (slope, through, className) => {
    chart.segment(chart.marks, w - half, through - slope * half, w + half, through + slope * half,
      className);
  };
  line(point.gradient, L, "tangent");
  line(point.forward.estimate, L, "secant-forward");
  line(point.central.estimate, (point.around["w+h"] + point.around["w-h"]) / 2, "secant-central");
  if (point.h > state.range / 300) {
    chart.dot(chart.marks, w + point.h, point.around["w+h"], 3, "marker-h");
    chart.dot(chart.marks, w - point.h, point.around["w-h"], 3, "marker-h");
  }
  chart.dot(chart.marks, w, L, 4.5, "marker");
}

function renderErrors() {
  const chart = new Chart($("error-chart"), { height: 250, xLog: true, yLog: true });
  legend($("error-legend"), [
    ["error-forward", t("explore.errors.forward")],
    ["error-central", t("explore.errors.central")],
    ["predicted-forward", t("explore.errors.predicted_forward")],
    ["predicted-central", t("explore.errors.predicted_central")],
    ["rounding", t("explore.errors.rounding")],
    ["tolerance", t("explore.errors.tolerance")],
  ]);
  const sweep = state.sweep;
  const hs = sweep ? sweep.h : [1e-8, 1];
  const absolute = (list) => list.map((x) => (x === null ? null : Math.abs(x)));
  const forward = sweep ? absolute(sweep.forward) : [];
  const central = sweep ? absolute(sweep.central) : [];
  const predictedForward = sweep ? hs.map((x) => (x / 2) * Math.abs(sweep.second_derivative)) : [];
  const predictedCentral = sweep ? hs.map((x) => ((x * x) / 6) * Math.abs(sweep.third_derivative)) : [];
  const rounding = sweep ? hs.map((x) => (sweep.epsilon * Math.abs(sweep.loss)) / x) : [];
  const all = [...forward, ...central, ...predictedForward, ...predictedCentral, LESSON_TOLERANCE];
  let [y0, y1] = extent(all, { log: true });
  y0 = Math.max(y0, 1e-18);
  chart.setDomain(1e-8, 1, y0, Math.max(y1, y0 * 10));
  chart.drawAxes(t("explore.errors.h"), t("explore.errors.error"));
  chart.segment(chart.data, 1e-8, LESSON_TOLERANCE, 1, LESSON_TOLERANCE, "tolerance");
  if (sweep) {
    chart.path(chart.data, hs.map((x, i) => [x, rounding[i]]), "rounding");
    chart.path(chart.data, hs.map((x, i) => [x, predictedForward[i]]), "predicted-forward");
    chart.path(chart.data, hs.map((x, i) => [x, predictedCentral[i]]), "predicted-central");
    chart.path(chart.data, hs.map((x, i) => [x, forward[i]]), "error-forward");
    chart.path(chart.data, hs.map((x, i) => [x, central[i]]), "error-central");
    hs.forEach((x, i) => {
      chart.dot(chart.data, x, forward[i], 2, "dot-forward");
      chart.dot(chart.data, x, central[i], 2, "dot-central");
    });
  }
  const current = h();
  chart.segment(chart.marks, current, y0, current, chart.domain.y1, "current-h");
  if (state.point) {
    chart.dot(chart.marks, current, Math.abs(state.point.forward.error), 5, "now-forward");
    chart.dot(chart.marks, current, Math.abs(state.point.central.error), 5, "now-central");
  }
}

function renderBoundary() {
  if (!state.boundary) return;
  drawBoundary($("boundary"), state.boundary, state.points, state.labels, state.example);
  legend($("data-legend"), [
    ["class-0", t("explore.data.class0"), "dot"],
    ["class-1", t("explore.data.class1"), "dot"],
    ["boundary-line", t("explore.data.boundary")],
  ]);
}

function renderRace() {
  const steps = Math.max(10, state.history.mse.length - 1);
  const race = new Chart($("race-chart"), { height: 200 });
  const mse = state.history.mse.map((m) => m.mse);
  const ce = state.history["cross-entropy"].map((m) => m["cross-entropy"]);
  const [, top] = extent([...mse, ...ce, 0]);
  race.setDomain(0, steps, 0, top);
  race.drawAxes(t("explore.train.steps"), t("explore.train.loss"));
  race.path(race.data, mse.map((v, i) => [i, v]), "run-mse");
  race.path(race.data, ce.map((v, i) => [i, v]), "run-ce");

  const accuracy = new Chart($("accuracy-chart"), { height: 150 });
  accuracy.setDomain(0, steps, 0, 1.05);
  accuracy.drawAxes(t("explore.train.steps"), t("explore.train.accuracy"));
  for (const [loss, className] of [["mse", "run-mse"], ["cross-entropy", "run-ce"]]) {
    accuracy.path(accuracy.data, state.history[loss].map((m, i) => [i, m.accuracy]), className);
  }
  legend($("race-legend"), [
    ["run-mse", t("explore.train.run_mse")],
    ["run-ce", t("explore.train.run_ce")],
  ]);
  renderTrainStatus();
}

function renderTrainStatus() {
  const last = (loss) => state.history[loss][state.history[loss].length - 1];
  const mse = last("mse");
  const ce = last("cross-entropy");
  const status = $("train-status");
  status.dataset.steps = String(totalSteps());
  if (!mse || !ce) {
    status.textContent = "";
    return;
  }
  status.dataset.mse = String(mse.mse);
  status.dataset.ce = String(ce["cross-entropy"]);
  status.textContent = t("explore.train.status", {
    steps: totalSteps(),
    mse_loss: significant(mse.mse, 4),
    mse_accuracy: percent(mse.accuracy),
    ce_loss: significant(ce["cross-entropy"], 4),
    ce_accuracy: percent(ce.accuracy),
  }) + (state.playing ? ` ${t("explore.train.running")}` : "");
  $("play-button").disabled = state.playing;
  $("pause-button").disabled = !state.playing;
}

function renderGraphCaption() {
  const [x, y] = state.points[state.example] || [0, 0];
  const caption = $("graph-caption");
  if (state.layout && state.layout.too_big) {
    caption.textContent = t("explore.graph.too_big", {
      values: state.layout.values, limit: state.layout.limit,
    });
    return;
  }
  caption.textContent = t("explore.graph.caption", {
    loss: t(LOSS_NAME[state.loss]),
    example: state.example,
    x: significant(x, 3),
    y: significant(y, 3),
    label: state.labels[state.example],
    n: state.points.length,
  });
  legend($("graph-legend"), [
    ["grad-positive", t("explore.graph.positive"), "box"],
    ["grad-negative", t("explore.graph.negative"), "box"],
    ["parameter-box", t("explore.graph.parameter"), "box"],
    ["input-box", t("explore.graph.input"), "box"],
    ["selected-box", t("explore.graph.selected"), "box"],
  ]);
}

function renderNudge() {
  const box = $("nudge-result");
  const answer = state.nudge;
  if (!answer) {
    box.textContent = "";
    delete box.dataset.direction;
    return;
  }
  box.dataset.direction = answer.direction;
  box.dataset.actual = String(answer.actual_change);
  box.dataset.predicted = String(answer.predicted_change);
  const agree = answer.actual_change * answer.predicted_change > 0;
  const key = answer.direction === "flat" ? "explore.nudge.flat"
    : agree ? `explore.nudge.${answer.direction}` : "explore.nudge.against";
  box.textContent = t(key, {
    name: answer.name,
    h: scientific(answer.h, 2),
    actual: scientific(Math.abs(answer.actual_change)),
    actual_signed: scientific(answer.actual_change),
    predicted: scientific(Math.abs(answer.predicted_change)),
    gradient: significant(answer.gradient, 6),
    direction: t(`explore.nudge.word_${answer.direction}`),
  });
}

function renderAll() {
  applyTexts();
  $("lang-toggle").textContent = t("explore.lang.switch");
  $("lang-toggle").setAttribute("aria-label", t("explore.lang.label"));
  fillSetupForm();
  fillWeightSelect();
  renderPoint();
  renderCurve();
  renderErrors();
  renderBoundary();
  renderRace();
  renderGraphCaption();
  renderNudge();
}

// --- events ------------------------------------------------------------------------------------

function wire() {
  $("weight-slider").addEventListener("input", () => {
    const next = [...weights()];
    next[state.weight] = Number($("weight-slider").value);
    restartFrom(next);
    $("weight-value").textContent = significant(next[state.weight], 6);
    askPoint().then(() => Promise.all([askSweep(), askBoundary()]));
    updateAddress();
  });
  $("weight-select").addEventListener("change", () => selectWeight(Number($("weight-select").value)));
  $("loss-select").addEventListener("change", async () => {
    state.loss = $("loss-select").value;
    state.nudge = null;
    renderNudge();
    syncSlider();
    try {
      await askLayout();
    } catch (error) {
      showError(error);
    }
    askEverything();
    updateAddress();
  });
  $("h-slider").addEventListener("input", () => {
    state.hExponent = Number($("h-slider").value);
    $("h-value").textContent = step(state.hExponent);
    state.nudge = null;
    renderNudge();
    askPoint();
    updateAddress();
  });
  $("example-input").addEventListener("change", async () => {
    const example = Number($("example-input").value);
    state.example = Number.isInteger(example) ? example : $("example-input").value;
    try {
      await askLayout();
      await askPoint();
      renderBoundary();
    } catch (error) {
      showError(error);
    }
    updateAddress();
  });
  $("nudge-button").addEventListener("click", async () => {
    try {
      state.nudge = await post("/api/nudge", {
        ...base(), loss: state.loss, weight: state.weight, h: h(),
      });
      clearError();
    } catch (error) {
      showError(error);
    }
    renderNudge();
  });
  $("lr-input").addEventListener("change", () => {
    const lr = Number($("lr-input").value);
    if (lr > 0) {
      state.lr = lr;
      updateAddress();
    }
  });
  $("step-button").addEventListener("click", () => {
    state.playing = false;
    trainFromButtons(1);
  });
  $("play-button").addEventListener("click", () => play());
  $("pause-button").addEventListener("click", () => pause());
  $("reset-button").addEventListener("click", async () => {
    restartFrom(state.initial);
    syncSlider();
    await askEverything();
    updateAddress();
  });
  $("setup-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    state.setup = readSetupForm();
    state.start = null;
    state.segments = [];
    try {
      await loadModel();
    } catch (error) {
      showError(error);
    }
  });
  $("lang-toggle").addEventListener("click", async () => {
    state.lang = state.lang === "pt" ? "en" : "pt";
    await loadMessages(state.lang);
    renderAll();
    updateAddress();
  });
  $("share-button").addEventListener("click", async () => {
    updateAddress();
    try {
      await navigator.clipboard.writeText(location.href);
      $("share-button").textContent = t("explore.shared");
    } catch {
      $("share-button").textContent = t("explore.share_failed");
    }
    setTimeout(() => { $("share-button").textContent = t("explore.share"); }, 2000);
  });
}

// --- start --------------------------------------------------------------------------------------

async function start() {
  config = await getJson("/api/config");
  const wanted = decode(location.search);
  state.lang = config.languages.includes(wanted.lang) ? wanted.lang : config.lang;
  await loadMessages(state.lang);
  state.setup = { ...config.setup, ...wanted.setup };
  state.loss = LOSSES.includes(wanted.loss) ? wanted.loss : config.defaults.loss;
  state.weight = wanted.weight ?? config.defaults.weight;
  state.example = wanted.example ?? config.defaults.example;
  state.lr = wanted.lr ?? config.defaults.lr;
  state.hExponent = wanted.hExponent ?? Math.log10(config.defaults.h);
  state.range = wanted.range ?? 3;
  state.start = wanted.start ?? null;
  state.segments = wanted.segments ?? [];
  wire();
  renderAll();
  try {
    await loadModel();
  } catch (error) {
    showError(error);
  }
  renderAll();
  document.body.dataset.ready = "true";
}

start().catch((error) => showError(error));

