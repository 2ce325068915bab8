// Dealwire console: keeps each [data-live] block current from its Server-Sent Events stream. The server renders the
// fragment (one page of rows, already filtered); this script only swaps it in. A block the user is typing in is left
// alone until focus leaves it. body[data-live-state] tells tests and people whether the streams are connected.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const blocks = document.querySelectorAll("[data-live]");
  let open = 0;
  blocks.forEach((block) => {
    const source = new EventSource(block.dataset.live);
    let pending = null;
    const apply = () => {
      if (pending === null || block.contains(document.activeElement)) return;
      block.innerHTML = pending;
      pending = null;
      block.dataset.updates = String(Number(block.dataset.updates || "0") + 1);
    };
    block.addEventListener("focusout", () => setTimeout(apply, 0));
    source.addEventListener("open", () => {
      open += 1;
      document.body.dataset.liveState = open === blocks.length ? "connected" : "connecting";
    });
    source.addEventListener("fragment", (e) => { pending = e.data; apply(); });
    source.addEventListener("gone", () => { source.close(); block.classList.add("gone"); });
    source.addEventListener("expired", () => { source.close(); window.location.href = "/console/signin?expired=1"; });
    source.addEventListener("error", () => { document.body.dataset.liveState = "reconnecting"; });
  });
});
