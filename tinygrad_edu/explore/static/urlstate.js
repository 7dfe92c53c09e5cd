// The page's state in its address, so that a teacher can share a setup: read and written here.

/** The state as URL parameters (the starting weights only when they are not the seed's). */
export function encode(state) {
  const query = new URLSearchParams();
  const { setup } = state;
  query.set("dataset", setup.dataset);
  query.set("n", String(setup.n));
  if (setup.noise !== null) query.set("noise", String(setup.noise));
  query.set("hidden", setup.hidden.join(","));
  query.set("activation", setup.activation);
  query.set("seed", String(setup.seed));
  query.set("loss", state.loss);
  query.set("weight", String(state.weight));
  query.set("range", String(state.range));
  query.set("h", String(state.hExponent));
  query.set("lr", String(state.lr));
  query.set("example", String(state.example));
  query.set("lang", state.lang);
  if (state.start) query.set("start", state.start.map(String).join(","));
  if (state.segments.length) {
    query.set("train", state.segments.map(([lr, steps]) => `${lr}x${steps}`).join(","));
  }
  return query.toString();
}

function number(text) {
  if (text === null || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text; // the server says what is wrong with a bad one
}

function list(text, parse) {
  return text.trim() === "" ? [] : text.split(",").map((part) => parse(part.trim()));
}

/** What the address says; a missing parameter is left out (the server's default is used). */
export function decode(search) {
  const query = new URLSearchParams(search);
  const found = { setup: {} };
  for (const name of ["dataset", "activation"]) {
    if (query.has(name)) found.setup[name] = query.get(name);
  }
  for (const name of ["n", "seed", "noise"]) {
    const value = number(query.get(name));
    if (value !== undefined) found.setup[name] = value;
  }
  if (query.has("hidden")) found.setup.hidden = list(query.get("hidden"), number);
  if (query.has("loss")) found.loss = query.get("loss");
  if (query.has("lang")) found.lang = query.get("lang");
  for (const [name, key] of [["weight", "weight"], ["range", "range"], ["h", "hExponent"],
    ["lr", "lr"], ["example", "example"]]) {
    const value = number(query.get(name));
    if (value !== undefined) found[key] = value;
  }
  if (query.has("start")) found.start = list(query.get("start"), number);
  if (query.has("train")) {
    found.segments = list(query.get("train"), (part) => {
      const [lr, steps] = part.split("x");
      return [number(lr), number(steps)];
    });
  }
  return found;
}
