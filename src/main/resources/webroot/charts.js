// Drawing helpers for the page: gray frames, the latent bar chart and the 2-D latent scatter.
'use strict';

const Charts = (() => {
  const PALETTE = ['#4fc3f7', '#ffb74d', '#81c784', '#e57373', '#ba68c8',
                   '#fff176', '#4db6ac', '#f06292', '#a1887f', '#90a4ae'];

  /** Paints 8-bit gray pixels (row-major) on a canvas of the same size. */
  function gray(canvas, pixels, width, height) {
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = pixels[i];
      img.data[4 * i] = v; img.data[4 * i + 1] = v; img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function hiDpi(canvas) {
    const r = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(w * r)) { canvas.width = Math.round(w * r); canvas.height = Math.round(h * r); }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(r, 0, 0, r, 0, 0);
    return { ctx, w, h };
  }

  /** Bars for each latent dimension, scaled to the largest magnitude seen recently. */
  function bars(canvas, values, scale) {
    const { ctx, w, h } = hiDpi(canvas);
    ctx.clearRect(0, 0, w, h);
    const mid = h / 2;
    ctx.strokeStyle = '#263241';
    ctx.beginPath(); ctx.moveTo(0, mid); ctx.lineTo(w, mid); ctx.stroke();
    if (!values || values.length === 0) {
      ctx.fillStyle = '#8799aa'; ctx.font = '13px system-ui';
      ctx.fillText('ask for the latent code to see it here', 12, 24);
      return;
    }
    const n = values.length, gap = n > 32 ? 1 : 6, bw = Math.min(56, Math.max(1, (w - 40 - gap * (n + 1)) / n));
    const left = 40 + (w - 40 - n * (bw + gap)) / 2;
    ctx.font = '11px system-ui';
    ctx.textAlign = 'center';
    for (let i = 0; i < n; i++) {
      const v = values[i] / (scale || 1), x = left + i * (bw + gap), bh = Math.min(1, Math.abs(v)) * (mid - 18);
      ctx.fillStyle = v >= 0 ? '#4fc3f7' : '#ffb74d';
      ctx.fillRect(x, v >= 0 ? mid - bh : mid, bw, bh);
      if (n <= 16) {
        ctx.fillStyle = '#8799aa';
        ctx.fillText(values[i].toFixed(2), x + bw / 2, v >= 0 ? mid + 14 : mid - 6);
      }
    }
    ctx.textAlign = 'start';
    ctx.fillStyle = '#8799aa';
    ctx.fillText('+' + (scale || 1).toFixed(2), 4, 14);
    ctx.fillText('−' + (scale || 1).toFixed(2), 4, h - 6);
  }

  /** Scatter of recent 2-D latent codes, coloured by digit label (grey when unknown). */
  function scatter(canvas, points) {
    const { ctx, w, h } = hiDpi(canvas);
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = '#263241';
    ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
    if (points.length === 0) { return; }
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const p of points) { x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y); }
    const pad = 14, sx = (w - 2 * pad) / ((x1 - x0) || 1), sy = (h - 2 * pad) / ((y1 - y0) || 1);
    points.forEach((p, i) => {
      ctx.globalAlpha = i === points.length - 1 ? 1 : 0.65;
      ctx.fillStyle = p.label >= 0 ? PALETTE[p.label % 10] : '#cfd8dc';
      const r = i === points.length - 1 ? 5 : 2.5;
      ctx.beginPath();
      ctx.arc(pad + (p.x - x0) * sx, h - pad - (p.y - y0) * sy * 0.9, r, 0, 2 * Math.PI);
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    ctx.font = '11px system-ui';
    for (let d = 0; d < 10; d++) { ctx.fillStyle = PALETTE[d]; ctx.fillText(String(d), w - 128 + d * 12, 16); }
  }

  function message(canvas, text) {
    const { ctx, w, h } = hiDpi(canvas);
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = '#263241';
    ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
    ctx.fillStyle = '#8799aa'; ctx.font = '13px system-ui'; ctx.textAlign = 'center';
    ctx.fillText(text, w / 2, h / 2);
    ctx.textAlign = 'start';
  }

  /** The q-quantile (0..1) of an array of numbers. */
  function quantile(values, q) {
    if (values.length === 0) { return NaN; }
    const s = Float64Array.from(values).sort();
    return s[Math.min(s.length - 1, Math.floor(q * s.length))];
  }

  return { gray, bars, scatter, message, quantile };
})();
