// The demo page: streams noisy digits, a drawing, the demo video or the camera to /v1/stream
// (an uploaded image to POST /v1/models/{model}/denoise) and shows what comes back.
'use strict';

const $ = (id) => document.getElementById(id);
const SIZE = 28;
/** Sources of natural frames (any size, gray or colour), as opposed to the 28x28 digits. */
const NATURAL = new Set(['video', 'camera', 'upload']);
/** Models tried first for natural frames, best first; else the first model that takes any size. */
const NATURAL_MODELS = ['natural-gray', 'natural-fast', 'conv-upsample'];
const state = {
  ws: null, run: 0, digits: null, labels: [], next: 0, seq: 0, timer: null,
  sent: new Map(), latencies: [], arrivals: [], received: 0, errors: 0, dropped: 0,
  latentDim: 0, scatter: [], scale: 1, cards: {},
  shape: { format: 'gray8', width: SIZE, height: SIZE, channels: 1 },
  sigma: { digits: 100, natural: 25 },
};

function natural() { return NATURAL.has($('source').value); }

function token() { return $('token').value.trim(); }

function setStatus(text, isError) {
  $('status').textContent = text;
  $('status').classList.toggle('error', !!isError);
}

async function loadModels() {
  const headers = token() ? { Authorization: 'Bearer ' + token() } : {};
  const resp = await fetch('/v1/models', { headers });
  const body = await resp.json();
  if (!resp.ok) { setStatus(body.code + ': ' + body.message, true); return; }
  const select = $('model');
  select.innerHTML = '';
  state.cards = {};
  for (const card of body.models) {
    state.cards[card.name] = card;
    const o = document.createElement('option');
    o.value = card.name;
    o.textContent = card.name + ' · v' + card.version + ' · latent ' + card.latentDim
      + (card.width > 0 ? ' · ' + card.width + 'x' + card.height + ' only' : '');
    select.appendChild(o);
  }
  if (body.default && state.cards[body.default]) { select.value = body.default; }
  if (natural()) { pickNaturalModel(); }
  setStatus(body.models.length ? 'Ready: press Start.' : 'No model is loaded yet.', body.models.length === 0);
  showLatentKind();
}

async function loadDigits() {
  const resp = await fetch('/v1/samples/digits?count=300', { headers: token() ? { Authorization: 'Bearer ' + token() } : {} });
  state.digits = new Uint8Array(await resp.arrayBuffer());
  state.labels = (resp.headers.get('X-Labels') || '').split(',').map(Number);
}

function showLatentKind() {
  const card = state.cards[$('model').value];
  state.latentDim = card ? card.latentDim : 0;
  $('dim').textContent = card ? 'D = ' + card.latentDim : '';
  state.scatter = [];
  state.scale = 1;
  if (state.latentDim === 2) {
    $('scatterNote').textContent = 'coloured by digit';
    Charts.scatter($('scatter'), []);
  } else {
    $('scatterNote').textContent = '';
    Charts.message($('scatter'), 'a live scatter for models with a 2-D latent');
  }
  Charts.bars($('bars'), null, 1);
}

/** For natural frames: keeps a model that takes any size, else switches to the best one loaded. */
function pickNaturalModel(preferred) {
  const card = state.cards[$('model').value];
  const names = Object.keys(state.cards);
  const choice = [preferred, ...NATURAL_MODELS].find((n) => n && state.cards[n])
    || names.find((n) => !(state.cards[n].width > 0));
  const keep = card && !(card.width > 0) && !(preferred && state.cards[preferred]);
  if (choice && !keep && choice !== $('model').value) {
    $('model').value = choice;
    showLatentKind();
  }
}

/** The next clean frame: a test digit, the drawing pad shrunk to 28x28, or a natural frame. */
function cleanFrame() {
  const source = $('source').value, sh = state.shape;
  if (source === 'draw') { return { pixels: Pad.pixels(SIZE), label: -1 }; }
  if (source === 'camera') { return { pixels: Sources.camera.frame(sh.width, sh.height, sh.channels === 3), label: -1 }; }
  if (source === 'video') { return { pixels: Sources.clip.frame(), label: -1 }; }
  if (source === 'upload') { return { pixels: Sources.still.frame(sh.channels === 3), label: -1 }; }
  const i = state.next++ % state.labels.length;
  return { pixels: state.digits.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE), label: state.labels[i] };
}

/** Gaussian noise (Box-Muller) of the slider's sigma (on 0-255), clipped to [0, 255]. */
function addNoise(pixels, sigma) {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const u = 1 - Math.random(), v = Math.random();
    const n = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    out[i] = Math.max(0, Math.min(255, Math.round(pixels[i] + n * sigma)));
  }
  return out;
}

/** One message: [id length][id bytes][28x28 gray8]; the id carries the sequence number and label. */
function message(seq, label, pixels) {
  const id = new TextEncoder().encode(seq + ':' + label);
  const buf = new Uint8Array(1 + id.length + pixels.length);
  buf[0] = id.length; buf.set(id, 1); buf.set(pixels, 1 + id.length);
  return buf.buffer;
}

function sendFrame() {
  const ws = state.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > (1 << 20)) { return; }
  if ($('source').value === 'digits' && !state.digits) { return; }
  if (natural() && state.sent.size >= Number($('window').value)) { return; }   // the in-flight window is full
  if ($('source').value === 'camera' && !Sources.camera.ready()) { return; }
  const { pixels, label } = cleanFrame();
  const noisy = addNoise(pixels, Number($('noise').value));
  const seq = state.seq++;
  state.sent.set(seq, { t: performance.now(), noisy, label });
  ws.send(message(seq, label, noisy));
}

/** Reads a binary reply (layout in docs/websocket.md: 48-byte little-endian header, latent, id, frame). */
function parseReply(buf) {
  const dv = new DataView(buf);
  const flags = dv.getUint8(3), payloadOffset = dv.getUint16(4, true), dim = dv.getUint16(6, true);
  const r = {
    seq: dv.getUint32(8, true), dropped: dv.getUint32(12, true),
    width: dv.getUint32(16, true), height: dv.getUint32(20, true),
    modelVersion: Number(dv.getBigInt64(24, true)),
    queueMicros: dv.getUint32(32, true), computeMicros: dv.getUint32(36, true), serverMicros: dv.getUint32(40, true),
    batchSize: dv.getUint16(44, true), latent: null,
  };
  if (flags & 1) {
    r.latent = new Float32Array(dim);
    for (let i = 0; i < dim; i++) { r.latent[i] = dv.getFloat32(48 + 4 * i, true); }
  }
  // Flag 4: the input's estimated noise sigma, the f32 just before the frame.
  r.noiseSigma = (flags & 4) ? dv.getFloat32(payloadOffset - 4, true) : NaN;
  r.pixels = new Uint8Array(buf, payloadOffset);
  return r;
}

function onReply(r) {
  const now = performance.now();
  const sent = state.sent.get(r.seq);
  for (const k of state.sent.keys()) { if (k <= r.seq) { state.sent.delete(k); } else { break; } }
  if (sent) {
    state.latencies.push(now - sent.t);
    if (state.latencies.length > 500) { state.latencies.shift(); }
  }
  state.arrivals.push(now);
  state.received++;
  state.dropped = r.dropped;
  $('version').textContent = r.modelVersion;
  $('noiseSigma').textContent = isNaN(r.noiseSigma) ? '–' : r.noiseSigma.toFixed(1);
  showTraining(r.modelVersion);
  if (natural()) {
    showNatural(sent ? sent.noisy : null, r.pixels, r.width, r.height);
    return;
  }
  if (sent) {
    Charts.gray($('noisy'), sent.noisy, r.width, r.height);
    $('label').textContent = sent.label >= 0 ? 'digit ' + sent.label : 'your drawing';
  }
  Charts.gray($('denoised'), r.pixels, r.width, r.height);
  if (r.latent) {
    const m = r.latent.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    state.scale = Math.max(m, state.scale * 0.98, 1e-6);
    Charts.bars($('bars'), r.latent, state.scale);
    if (r.latent.length === 2) {
      state.scatter.push({ x: r.latent[0], y: r.latent[1], label: sent ? sent.label : -1 });
      if (state.scatter.length > 600) { state.scatter.shift(); }
      Charts.scatter($('scatter'), state.scatter);
    }
  }
}

/** How the serving version was trained (its card's training.mode), fetched once per version. */
async function showTraining(version) {
  const name = $('model').value;
  const key = name + '@' + version;
  if (state.trainingOf === key) { return; }
  state.trainingOf = key;
  const headers = token() ? { Authorization: 'Bearer ' + token() } : {};
  try {
    const resp = await fetch('/v1/models/' + encodeURIComponent(name), { headers });
    const card = await resp.json();
    if (state.trainingOf !== key) { return; }
    const t = card.training || {};
    $('training').textContent = t.mode || (card.training ? 'supervised' : 'shipped');
    $('training').title = t.sigmaEstimate ? 'sigma estimate ' + t.sigmaEstimate : '';
  } catch (e) {
    state.trainingOf = null;
  }
}

function updateStats() {
  const now = performance.now();
  while (state.arrivals.length && state.arrivals[0] < now - 1000) { state.arrivals.shift(); }
  $('fps').textContent = running() ? state.arrivals.length : '–';
  const p50 = Charts.quantile(state.latencies, 0.5), p99 = Charts.quantile(state.latencies, 0.99);
  $('p50').textContent = isNaN(p50) ? '–' : p50.toFixed(1);
  $('p99').textContent = isNaN(p99) ? '–' : p99.toFixed(1);
  $('dropped').textContent = state.dropped;
  $('received').textContent = state.received;
  $('errors').textContent = state.errors;
}

/** Paints a natural frame pair: the noisy one under the slider, the denoised one over it. */
function showNatural(noisy, denoised, width, height) {
  const ch = denoised.length === 3 * width * height ? 3 : 1;
  if (noisy) { Sources.paint($('before'), noisy, width, height, noisy.length === 3 * width * height ? 3 : 1); }
  Sources.paint($('after'), denoised, width, height, ch);
  $('frameInfo').textContent = width + ' x ' + height + (ch === 3 ? ' colour' : ' gray');
}

function streamUrl() {
  const sh = state.shape, nat = natural();
  const p = new URLSearchParams({ model: $('model').value, mode: $('mode').value, format: sh.format,
    width: sh.width, height: sh.height, latent: nat ? 'false' : 'true', ids: 'true' });
  if (nat && $('mode').value === 'lossless') { p.set('window', $('window').value); }
  if (token()) { p.set('access_token', token()); }
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/stream?' + p;
}

/** Gets the source ready (camera permission, demo clip, uploaded image) and fixes the frame shape. */
async function prepare(source) {
  const colour = $('colour').checked;
  if (source === 'camera') {
    await Sources.camera.open();
    const [w, h] = $('camSize').value.split('x').map(Number);
    return { format: colour ? 'rgb8' : 'gray8', width: w, height: h, channels: colour ? 3 : 1 };
  }
  Sources.camera.close();
  if (source === 'video') {
    await Sources.clip.load();
    pickNaturalModel(Sources.clip.model);
    const c = Sources.clip;
    return { format: 'gray8', width: c.width, height: c.height, channels: 1 };
  }
  if (source === 'upload') {
    if (!Sources.still.image) { throw new Error('choose an image first'); }
    Sources.still.fit(Number($('maxSide').value));
    const s = Sources.still;
    return { format: colour ? 'rgb8' : 'gray8', width: s.width, height: s.height, channels: colour ? 3 : 1 };
  }
  return { format: 'gray8', width: SIZE, height: SIZE, channels: 1 };
}

async function start() {
  stop();
  const run = ++state.run, source = $('source').value;
  state.streamSource = source;
  Object.assign(state, { seq: 0, sent: new Map(), latencies: [], arrivals: [], received: 0, errors: 0, dropped: 0 });
  $('start').textContent = 'Stop';
  try {
    state.shape = await prepare(source);
  } catch (e) {
    if (state.run === run) { stop(); setStatus('Cannot start ' + source + ': ' + (e.message || e), true); }
    return;
  }
  if (state.run !== run) { return; }
  if (source === 'upload') { uploadLoop(run); return; }
  const ws = new WebSocket(streamUrl());
  ws.binaryType = 'arraybuffer';
  state.ws = ws;
  ws.onopen = () => {
    $('conn').textContent = 'streaming'; $('conn').className = 'pill on';
    setStatus('Streaming ' + $('model').value + ' in ' + $('mode').value + ' mode.');
    state.timer = setInterval(sendFrame, 1000 / Number($('rate').value));
  };
  ws.onmessage = (e) => {
    if (typeof e.data === 'string') {
      const err = JSON.parse(e.data);
      state.errors++;
      setStatus(err.code + (err.seq !== null ? ' (frame ' + err.seq + ')' : '') + ': ' + err.message, true);
    } else {
      onReply(parseReply(e.data));
    }
  };
  ws.onclose = (e) => {
    if (state.ws === ws) { stop(); }
    if (e.code !== 1000) { setStatus('Connection closed: ' + e.code + (e.reason ? ' ' + e.reason : ''), true); }
  };
}

/**
 * The uploaded image over HTTP (any size the body limit allows): one POST at a time, each with
 * fresh noise, paced by the send rate, until stopped; frames/s and latency count these requests.
 */
async function uploadLoop(run) {
  const sh = state.shape, mime = 'application/x-' + sh.format;
  $('conn').textContent = 'posting'; $('conn').className = 'pill on';
  setStatus('Denoising ' + Sources.still.name + ' (' + sh.width + ' x ' + sh.height + ') with ' + $('model').value + ' over HTTP.');
  while (state.run === run) {
    const t0 = performance.now();
    const noisy = addNoise(cleanFrame().pixels, Number($('noise').value));
    const headers = { 'Content-Type': mime, Accept: mime };
    if (token()) { headers.Authorization = 'Bearer ' + token(); }
    const url = '/v1/models/' + encodeURIComponent($('model').value) + '/denoise?width=' + sh.width + '&height=' + sh.height;
    try {
      const resp = await fetch(url, { method: 'POST', headers, body: noisy });
      if (state.run !== run) { return; }
      if (!resp.ok) {
        const err = await resp.json().catch(() => ({ code: resp.status, message: resp.statusText }));
        state.errors++;
        setStatus(err.code + ': ' + err.message, true);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      const out = new Uint8Array(await resp.arrayBuffer());
      const now = performance.now();
      state.latencies.push(now - t0);
      if (state.latencies.length > 500) { state.latencies.shift(); }
      state.arrivals.push(now);
      state.received++;
      $('version').textContent = resp.headers.get('X-Model-Version') || '–';
      showNatural(noisy, out, sh.width, sh.height);
    } catch (e) {
      state.errors++;
      setStatus('Request failed: ' + e, true);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const wait = 1000 / Number($('rate').value) - (performance.now() - t0);
    if (wait > 0) { await new Promise((r) => setTimeout(r, wait)); }
  }
}

function stop() {
  state.run++;
  clearInterval(state.timer);
  state.timer = null;
  const ws = state.ws;
  state.ws = null;
  if (ws && ws.readyState <= WebSocket.OPEN) { ws.close(1000); }
  $('conn').textContent = 'disconnected'; $('conn').className = 'pill off';
  $('start').textContent = 'Start';
}

function running() { return $('start').textContent === 'Stop'; }

/** Shows the controls and views of the chosen source and sets its noise level. */
function showSource() {
  const source = $('source').value, nat = natural();
  $('drawCard').hidden = source !== 'draw';
  $('naturalRow').hidden = !nat;
  $('uploadRow').hidden = source !== 'upload';
  $('camSizeLabel').hidden = source !== 'camera';
  $('colour').parentElement.hidden = source === 'video';
  $('compareCard').hidden = !nat;
  document.querySelectorAll('.digitCard').forEach((c) => { c.hidden = nat; });
  $('latentSection').hidden = nat;
  $('noise').value = state.sigma[nat ? 'natural' : 'digits'];
  $('noiseOut').textContent = $('noise').value;
  if (nat) { pickNaturalModel(); }
  if (source !== 'camera') { Sources.camera.close(); }
}

/** Moves the before/after split: noisy on the left of it, denoised on the right. */
function showSplit() {
  const v = Number($('split').value);
  $('after').style.clipPath = 'inset(0 0 0 ' + v + '%)';
  $('divider').style.left = v + '%';
}

async function offerVideo() {
  const reason = await Sources.clip.probe().catch((e) => String(e));
  const option = $('source').querySelector('option[value=video]');
  option.disabled = !!reason;
  option.textContent = reason ? 'Demo video (not offered)' : 'Demo video';
  option.title = reason;
}

/** The drawing pad: white strokes on black, read back at the model's size. */
const Pad = (() => {
  const canvas = $('pad'), ctx = canvas.getContext('2d'), small = document.createElement('canvas');
  let drawing = false;
  function clear() { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, canvas.width, canvas.height); }
  function at(e) { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height]; }
  canvas.addEventListener('pointerdown', (e) => { drawing = true; const [x, y] = at(e); ctx.beginPath(); ctx.moveTo(x, y); });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) { return; }
    const [x, y] = at(e);
    Object.assign(ctx, { strokeStyle: '#fff', lineWidth: 22, lineCap: 'round', lineJoin: 'round' });
    ctx.lineTo(x, y); ctx.stroke();
  });
  window.addEventListener('pointerup', () => { drawing = false; });
  clear();
  return {
    clear,
    pixels(size) {
      small.width = size; small.height = size;
      const s = small.getContext('2d');
      s.imageSmoothingEnabled = true;
      s.drawImage(canvas, 0, 0, size, size);
      const d = s.getImageData(0, 0, size, size).data, out = new Uint8Array(size * size);
      for (let i = 0; i < out.length; i++) { out[i] = d[4 * i]; }
      return out;
    },
  };
})();

function wire() {
  const params = new URLSearchParams(location.search);
  $('token').value = params.get('access_token') || localStorage.getItem('denoiser.token') || '';
  $('noise').addEventListener('input', () => {
    $('noiseOut').textContent = $('noise').value;
    state.sigma[natural() ? 'natural' : 'digits'] = Number($('noise').value);
  });
  $('rate').addEventListener('input', () => {
    $('rateOut').textContent = $('rate').value;
    if (state.timer) { clearInterval(state.timer); state.timer = setInterval(sendFrame, 1000 / Number($('rate').value)); }
  });
  $('source').addEventListener('change', () => {
    showSource();
    if (running() && (natural() || NATURAL.has(state.streamSource))) { start(); }
  });
  $('model').addEventListener('change', () => { showLatentKind(); if (running()) { start(); } });
  for (const id of ['mode', 'camSize', 'colour', 'window', 'maxSide']) {
    $(id).addEventListener('change', () => { if (running()) { start(); } });
  }
  $('file').addEventListener('change', async () => {
    const f = $('file').files[0];
    if (!f) { return; }
    try {
      await Sources.still.load(f, Number($('maxSide').value));
      start();
    } catch (e) {
      setStatus('Cannot read ' + f.name + ': ' + e, true);
    }
  });
  $('split').addEventListener('input', showSplit);
  $('token').addEventListener('change', () => { localStorage.setItem('denoiser.token', token()); loadModels(); loadDigits(); });
  $('start').addEventListener('click', () => (running() ? stop() : start()));
  $('clear').addEventListener('click', () => Pad.clear());
  setInterval(updateStats, 250);
}

wire();
showSource();
Promise.all([loadModels(), loadDigits()]).catch((e) => setStatus('Could not load: ' + e, true));
offerVideo();
