/**
 * The QR code of a TOTP enrolment (issue 9, item 8), drawn on the server as SVG from our own
 * origin (no CDN, no script of a third party): one path of dark modules, a quiet zone of four
 * modules, error correction M (the otpauth URI of a 160-bit secret fits version 6 or so). The URI
 * holds the secret: the SVG is sent once, with the enrolment's answer, and never stored.
 */
import qrcode from 'qrcode-generator';

const QUIET_ZONE = 4;

/** An SVG image (a string) of the QR code of `text`. */
export function qrSvg(text: string, title: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const count = qr.getModuleCount();
  const size = count + 2 * QUIET_ZONE;
  let path = '';
  for (let row = 0; row < count; row++)
    for (let col = 0; col < count; col++)
      if (qr.isDark(row, col)) path += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
  const escaped = title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 6}" height="${size * 6}" role="img" shape-rendering="crispEdges">` +
    `<title>${escaped}</title><rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}
