// 3×3 blur stencils on a grayscale image stored row-major in a Float32Array (values 0..1).
// Border pixels are copied unchanged.

/** Gaussian 3×3 weights (sum 16), a module-level constant table. */
const GAUSS_3X3 = [1, 2, 1, 2, 4, 2, 1, 2, 1];

export function boxBlur(src: Float32Array, dst: Float32Array, width: number, height: number): void {
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      dst[i] =
        (src[i - width - 1] + src[i - width] + src[i - width + 1] +
          src[i - 1] + src[i] + src[i + 1] +
          src[i + width - 1] + src[i + width] + src[i + width + 1]) / 9;
    }
  }
}

export function gaussianBlur(src: Float32Array, dst: Float32Array, width: number, height: number): void {
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      dst[i] =
        (GAUSS_3X3[0] * src[i - width - 1] + GAUSS_3X3[1] * src[i - width] + GAUSS_3X3[2] * src[i - width + 1] +
          GAUSS_3X3[3] * src[i - 1] + GAUSS_3X3[4] * src[i] + GAUSS_3X3[5] * src[i + 1] +
          GAUSS_3X3[6] * src[i + width - 1] + GAUSS_3X3[7] * src[i + width] + GAUSS_3X3[8] * src[i + width + 1]) / 16;
    }
  }
}

/** Copies the one-pixel border (the stencils leave it alone). */
export function copyBorder(src: Float32Array, dst: Float32Array, width: number, height: number): void {
  for (let x = 0; x < width; x++) {
    dst[x] = src[x];
    dst[(height - 1) * width + x] = src[(height - 1) * width + x];
  }
  for (let y = 0; y < height; y++) {
    dst[y * width] = src[y * width];
    dst[y * width + width - 1] = src[y * width + width - 1];
  }
}

/** A synthetic test image: smooth gradients plus deterministic noise. */
export function testImage(width: number, height: number): Float32Array {
  const img = new Float32Array(width * height);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      img[y * width + x] = 0.5 + 0.25 * Math.sin(x / 17) * Math.cos(y / 23) + 0.25 * (seed / 4294967296 - 0.5);
    }
  }
  return img;
}

/** A coarse ASCII preview for logs (string work: not translatable). */
export function asciiPreview(img: Float32Array, width: number, height: number, cols = 32): string {
  const ramp = ' .:-=+*#%@';
  const step = Math.max(1, Math.floor(width / cols));
  let out = '';
  for (let y = 0; y < height; y += step * 2) {
    let row = '';
    for (let x = 0; x < width; x += step) {
      const v = Math.min(0.999, Math.max(0, img[y * width + x]));
      row += ramp[Math.floor(v * ramp.length)];
    }
    out += row + '\n';
  }
  return out;
}
