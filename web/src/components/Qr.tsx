import { createMemo } from "solid-js";
import { renderSVG } from "uqr";

/** A QR code as inline SVG (no canvas, no network), labelled with what it encodes. */
export function Qr(props: { text: string; size?: number; label?: string }) {
  const svg = createMemo(() => renderSVG(props.text, { border: 2, ecc: "M" }));
  return (
    <div
      class="qr"
      role="img"
      aria-label={props.label ?? `QR code for ${props.text}`}
      data-qr-text={props.text}
      style={props.size === undefined ? undefined : { width: `${props.size}px`, height: `${props.size}px` }}
      innerHTML={svg()}
    />
  );
}
