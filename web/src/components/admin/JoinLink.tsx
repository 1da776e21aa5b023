/** How players get in: the QR code, the code in big letters, the link, the projector view. */
import { joinUrlOf } from "../../lib/site";
import { Qr } from "../Qr";
import { toast } from "../Toasts";
import { t } from "../../i18n";

export function JoinLink(props: { code: string }) {
  const joinUrl = () => joinUrlOf(props.code);
  async function copyLink() {
    try {
      await navigator.clipboard.writeText(joinUrl());
      toast({ kind: "info", title: t("admin.joinLink.copied") });
    } catch {
      toast({ kind: "info", title: joinUrl() });
    }
  }
  return (
    <section class="card join-card" aria-labelledby="jl-h">
      <h2 id="jl-h">{t("admin.joinLink.heading")}</h2>
      <div class="join-row">
        <Qr text={joinUrl()} size={140} label={t("admin.joinLink.qr", { code: props.code })} />
        <div>
          <p class="mono big">{props.code}</p>
          <p class="muted small-break">{joinUrl()}</p>
          <div class="btn-row">
            <button type="button" class="btn btn-small" onClick={copyLink}>
              {t("admin.joinLink.copy")}
            </button>
            <a class="btn btn-small" href={`/screen/${props.code}`} target="_blank" rel="noopener">
              {t("admin.joinLink.projector")}
            </a>
          </div>
        </div>
      </div>
    </section>
  );
}
