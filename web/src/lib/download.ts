import { ApiError } from "./api";

/** Fetch a file with the organiser's bearer token and hand it to the browser as a download. */
export async function downloadWithToken(url: string, token: string, filename: string): Promise<void> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    let code: ApiError["code"] = "UNKNOWN";
    try {
      code = (await res.json()).error.code;
    } catch {
      /* not JSON */
    }
    throw new ApiError(code, `Download failed (${res.status})`, res.status);
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
