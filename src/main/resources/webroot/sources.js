// Natural-image sources of the page: the user's camera, the server's demo video clip and an
// uploaded still, each giving clean frames as 8-bit gray or interleaved RGB at a chosen size.
'use strict';

const Sources = (() => {
  /** The page's token as an Authorization header (the samples need it when the server has one). */
  function authHeaders() {
    const t = (document.getElementById('token') || { value: '' }).value.trim();
    return t ? { Authorization: 'Bearer ' + t } : {};
  }

  const grab = document.createElement('canvas');

  /** Draws `source` (video, image, canvas) scaled to width x height and reads it back. */
  function read(source, width, height, colour) {
    if (grab.width !== width || grab.height !== height) { grab.width = width; grab.height = height; }
    const ctx = grab.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, width, height);
    const d = ctx.getImageData(0, 0, width, height).data;
    const n = width * height, out = new Uint8Array(colour ? 3 * n : n);
    if (colour) {
      for (let i = 0; i < n; i++) { out[3 * i] = d[4 * i]; out[3 * i + 1] = d[4 * i + 1]; out[3 * i + 2] = d[4 * i + 2]; }
    } else {
      for (let i = 0; i < n; i++) { out[i] = Math.round(0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2]); }
    }
    return out;
  }

  /** Paints gray8 (channels 1) or interleaved rgb8 (channels 3) pixels on a canvas of their size. */
  function paint(canvas, pixels, width, height, channels) {
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(width, height), d = img.data;
    for (let i = 0; i < width * height; i++) {
      if (channels === 3) {
        d[4 * i] = pixels[3 * i]; d[4 * i + 1] = pixels[3 * i + 1]; d[4 * i + 2] = pixels[3 * i + 2];
      } else {
        d[4 * i] = d[4 * i + 1] = d[4 * i + 2] = pixels[i];
      }
      d[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  /** The user's camera through getUserMedia, played in an off-screen video element. */
  const camera = {
    video: null, stream: null,
    async open() {
      if (this.stream) { return; }
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        throw new Error('this browser offers no camera here (it needs https or localhost)');
      }
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
      this.video = document.getElementById('cam');
      this.video.srcObject = this.stream;
      await this.video.play();
    },
    ready() { return this.video && this.video.readyState >= 2; },
    frame(width, height, colour) { return read(this.video, width, height, colour); },
    close() {
      if (this.stream) { this.stream.getTracks().forEach((t) => t.stop()); }
      this.stream = null;
      if (this.video) { this.video.srcObject = null; }
    },
  };

  /** The server's demo clip (GET /v1/samples/video): clean gray8 frames played in a loop. */
  const clip = {
    frames: null, width: 0, height: 0, model: '', fps: 5, next: 0, unavailable: '',
    /** Asks whether the server offers a demo video; resolves to '' or the reason it does not. */
    async probe() {
      const resp = await fetch('/v1/samples/video?count=1', { headers: authHeaders() });
      if (resp.ok) { return ''; }
      const body = await resp.json().catch(() => ({ message: resp.status + ' ' + resp.statusText }));
      return body.message || body.code;
    },
    async load() {
      if (this.frames) { return; }
      const resp = await fetch('/v1/samples/video?count=60', { headers: authHeaders() });
      if (!resp.ok) { const b = await resp.json(); throw new Error(b.message); }
      const bytes = new Uint8Array(await resp.arrayBuffer());
      this.width = Number(resp.headers.get('X-Width'));
      this.height = Number(resp.headers.get('X-Height'));
      this.model = resp.headers.get('X-Model') || '';
      this.fps = Number(resp.headers.get('X-Frames-Per-Second')) || 5;
      const n = this.width * this.height, count = Math.floor(bytes.length / n);
      this.frames = [];
      for (let i = 0; i < count; i++) { this.frames.push(bytes.subarray(i * n, (i + 1) * n)); }
    },
    frame() { return this.frames[this.next++ % this.frames.length]; },
  };

  /** An uploaded PNG or JPEG, decoded by the browser and scaled so its longer side is at most maxSide. */
  const still = {
    image: null, name: '', width: 0, height: 0,
    async load(file, maxSide) {
      this.image = await createImageBitmap(file);
      this.name = file.name;
      this.fit(maxSide);
    },
    fit(maxSide) {
      if (!this.image) { return; }
      const w = this.image.width, h = this.image.height;
      const s = maxSide > 0 ? Math.min(1, maxSide / Math.max(w, h)) : 1;
      this.width = Math.max(1, Math.round(w * s));
      this.height = Math.max(1, Math.round(h * s));
    },
    frame(colour) { return read(this.image, this.width, this.height, colour); },
  };

  return { camera, clip, still, paint };
})();
