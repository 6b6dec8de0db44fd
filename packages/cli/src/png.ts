/** SVG → PNG through resvg (a Rust renderer shipped as a prebuilt Node addon in the npm package). */
import { Resvg } from '@resvg/resvg-js'

/**
 * Renders `svg` to PNG bytes, `zoom` times its own size. Text uses the system's fonts (DejaVu Sans where
 * installed, Debian's `fonts-dejavu-core`); without any font the picture renders without its labels.
 */
export function svgToPng(svg: string, zoom = 1.5): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  })
  return r.render().asPng()
}
