/* The offline certificate verifier: caches the provinces' public keys and status lists on first load, then checks a
   QR code (camera or image) or a vc+jwt file in the browser (WebCrypto Ed25519), without any request. */
(function () {
  "use strict";
  const root = document.getElementById("verifier");
  if (!root) return;
  const msg = (name) => root.dataset["msg" + name.replace(/(^|-)(\w)/g, (m, d, c) => c.toUpperCase())] || name;
  const STORE = "skills-verifier-cache";
  const QR_PATH = "/verify/q/";
  const $ = (id) => document.getElementById(id);
  const LABELS = JSON.parse($("verifier-labels").textContent);

  function b64urlBytes(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("base64url");
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  }
  const utf8 = (bytes) => new TextDecoder("utf-8", {fatal: true}).decode(bytes);
  const pathOf = (url) => new URL(url, location.href).pathname;

  async function ed25519Verify(publicKey, signature, data) {
    const key = await crypto.subtle.importKey("raw", publicKey, {name: "Ed25519"}, false, ["verify"]);
    return crypto.subtle.verify({name: "Ed25519"}, key, signature, data);
  }

  function loadCache() {
    try { return JSON.parse(localStorage.getItem(STORE)) || null; } catch (e) { return null; }
  }

  async function refreshCache() {
    const bundle = await (await fetch(root.dataset.bundle, {cache: "no-cache"})).json();
    const cache = {fetchedAt: new Date().toISOString(), keys: {}, lists: {}};
    for (const province of bundle.provinces) {
      const keyFile = await (await fetch(pathOf(province.keys), {cache: "no-cache"})).json();
      for (const k of keyFile.keys) {
        cache.keys[k.kid] = {publicKey: k.public_key, province: keyFile.province_name,
                             validFrom: k.valid_from, validUntil: k.valid_until};
      }
      for (const url of province.status_lists) {
        const response = await fetch(pathOf(url), {cache: "no-cache"});
        if (response.ok) cache.lists[pathOf(url)] = {jwt: await response.text(), fetchedAt: cache.fetchedAt};
      }
    }
    localStorage.setItem(STORE, JSON.stringify(cache));
    return cache;
  }

  async function start() {
    if ("serviceWorker" in navigator && root.dataset.sw) {
      navigator.serviceWorker.register(root.dataset.sw).catch(() => {});
    }
    let cache;
    try {
      if (!navigator.onLine) throw new Error("offline");
      cache = await refreshCache();
      $("cache-status").textContent = msg("ready") + cache.fetchedAt.slice(0, 19).replace("T", " ");
    } catch (e) {
      cache = loadCache();
      $("cache-status").textContent = cache ? msg("offline") + cache.fetchedAt.slice(0, 19).replace("T", " ")
        : msg("empty");
    }
    root.dataset.ready = cache ? "yes" : "no";
  }

  async function verifyJws(token, cache) {
    const parts = token.trim().split(".");
    if (parts.length !== 3) throw new Error("unreadable");
    const header = JSON.parse(utf8(b64urlBytes(parts[0])));
    const body = JSON.parse(utf8(b64urlBytes(parts[1])));
    const key = cache.keys[header.kid];
    if (header.alg !== "EdDSA" || !key) return {header, body, key, ok: false, reason: msg("unknown-key")};
    const ok = await ed25519Verify(b64urlBytes(key.publicKey), b64urlBytes(parts[2]),
                                   new TextEncoder().encode(parts[0] + "." + parts[1]));
    return {header, body, key, ok, reason: ok ? "" : msg("bad-sig")};
  }

  async function listBit(entry, cache) {
    const cached = cache.lists[pathOf(entry.statusListCredential)];
    if (!cached) return {state: "unchecked", evidence: msg("no-list")};
    const list = await verifyJws(cached.jwt, cache);
    if (!list.ok) return {state: "fail", evidence: msg("list-bad")};
    const encoded = list.body.credentialSubject.encodedList;
    if (encoded[0] !== "u") return {state: "fail", evidence: msg("list-bad")};
    const gz = new Blob([b64urlBytes(encoded.slice(1))]).stream().pipeThrough(new DecompressionStream("gzip"));
    const bits = new Uint8Array(await new Response(gz).arrayBuffer());
    const index = parseInt(entry.statusListIndex, 10);
    const set = (bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
    const evidence = `${msg("list")} ${pathOf(entry.statusListCredential)}，${msg("bit")} ${index} = ${set ? 1 : 0}；` +
      `${msg("as-of")} ${(list.body.validFrom || cached.fetchedAt).slice(0, 10)}`;
    return {state: set ? "fail" : "pass", evidence};
  }

  function filingCheck(subject) {
    const org = subject.organization || {};
    if (!org.filingNumber) return {state: "fail", evidence: `${org.name}：${msg("no-filing")}`};
    const inPeriod = subject.issuedOn >= org.filingValidFrom && subject.issuedOn <= org.filingValidUntil;
    const ok = inPeriod && org.filingActiveOnIssueDate === true;
    let evidence = `${org.name}：${msg("filing")} ${org.filingNumber}，${msg("period")} ${org.filingValidFrom} – ` +
      `${org.filingValidUntil}；${msg("on-issue-date")} ${subject.issuedOn}：${org.filingStatusOnIssueDate}`;
    if (org.filingTerminatedOn) evidence += `；${msg("terminated")} ${org.filingTerminatedOn}`;
    return {state: ok ? "pass" : "fail", evidence};
  }

  async function checkCredential(token, cache) {
    const jws = await verifyJws(token, cache);
    const subject = jws.body.credentialSubject || {};
    const lines = [{label: msg("sig"), state: jws.ok ? "pass" : "fail",
                    evidence: jws.ok ? `${msg("key")} ${jws.header.kid}（${jws.key.province}）` : jws.reason}];
    if (!jws.ok) return {lines, fields: subject};
    lines.push({label: msg("filed"), ...filingCheck(subject)});
    const entries = [].concat(jws.body.credentialStatus || []);
    for (const purpose of ["revocation", "suspension"]) {
      const entry = entries.find((e) => e.statusPurpose === purpose);
      const result = entry ? await listBit(entry, cache) : {state: "unchecked", evidence: msg("no-list")};
      lines.push({label: msg(purpose === "revocation" ? "revoked" : "suspended"), ...result});
    }
    return {lines, fields: subject};
  }

  async function checkQr(text, cache) {
    const token = text.includes(QR_PATH) ? text.split(QR_PATH)[1].split(/[?#]/)[0].replace(/\/$/, "") : text.trim();
    const [bodyPart, sigPart] = token.split(".");
    const body = b64urlBytes(bodyPart);
    const f = utf8(body).split("|");
    if (f.length < 9 || f[0] !== "CV1") throw new Error("unreadable");
    const key = cache.keys[f[1]];
    const ok = !!key && await ed25519Verify(b64urlBytes(key.publicKey), b64urlBytes(sigPart), body);
    const fields = {certificateNumber: f[2], holderName: f[3], maskedIdNumber: f[4], occupationCode: f[5],
                    skillLevel: f[6], issuedOn: `${f[7].slice(0, 4)}-${f[7].slice(4, 6)}-${f[7].slice(6)}`,
                    organization: {name: f.slice(8).join("|")}};
    const lines = [{label: msg("sig"), state: ok ? "pass" : "fail",
                    evidence: ok ? `${msg("key")} ${f[1]}（${key.province}）` : (key ? msg("bad-sig") : msg("unknown-key"))}];
    if (ok) {
      lines.push({label: msg("filed"), state: "unchecked", evidence: msg("qr-no-filing")});
      lines.push({label: msg("revoked"), state: "unchecked", evidence: msg("qr-no-status")});
      lines.push({label: msg("suspended"), state: "unchecked", evidence: msg("qr-no-status")});
    }
    return {lines, fields};
  }

  function show(result) {
    const list = $("checklist");
    list.replaceChildren();
    for (const line of result.lines) {
      const li = document.createElement("li");
      li.className = "check check-" + line.state;
      li.dataset.state = line.state;
      const mark = document.createElement("span");
      mark.className = "check-mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = line.state === "pass" ? "✓" : line.state === "fail" ? "✗" : "–";
      const head = document.createElement("strong");
      head.textContent = line.label;
      const state = document.createElement("span");
      state.className = "check-result";
      state.textContent = msg(line.state);
      const evidence = document.createElement("span");
      evidence.className = "check-evidence";
      evidence.textContent = line.evidence;
      li.append(mark, " ", head, "：", state, document.createElement("br"), evidence);
      list.append(li);
    }
    const dl = $("fields");
    dl.replaceChildren();
    const flat = {...result.fields, organization: (result.fields.organization || {}).name};
    for (const [name, value] of Object.entries(flat)) {
      if (value === undefined || value === null || typeof value === "object" || name === "type") continue;
      const dt = document.createElement("dt"); dt.textContent = LABELS[name] || name;
      const dd = document.createElement("dd"); dd.textContent = String(value);
      dl.append(dt, dd);
    }
    const valid = result.lines.every((l) => l.state === "pass");
    const signed = result.lines[0].state === "pass" && !result.lines.some((l) => l.state === "fail");
    $("verdict").textContent = valid ? msg("valid") : signed ? msg("partial") : msg("invalid");
    $("verdict").className = "message " + (valid || signed ? "message-success" : "message-error");
    root.dataset.verdict = valid ? "valid" : signed ? "partial" : "invalid";
    $("result").hidden = false;
    $("verifier-error").hidden = true;
    $("result-heading").focus();
  }

  function fail(text) {
    $("result").hidden = true;
    $("verifier-error").textContent = text;
    $("verifier-error").hidden = false;
    root.dataset.verdict = "error";
  }

  async function checkText(text) {
    const cache = loadCache();
    if (!cache) return fail(msg("empty"));
    try {
      const trimmed = text.trim();
      show(trimmed.split(".").length === 3 ? await checkCredential(trimmed, cache) : await checkQr(trimmed, cache));
    } catch (e) {
      fail(msg("unreadable"));
    }
  }

  function qrFromImageData(data) {
    const code = window.jsQR(data.data, data.width, data.height);
    return code ? code.data : null;
  }

  async function readFile(file) {
    if (file.type.startsWith("image/")) {
      const bitmap = await createImageBitmap(file);
      const canvas = document.createElement("canvas");
      canvas.width = bitmap.width; canvas.height = bitmap.height;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(bitmap, 0, 0);
      const text = qrFromImageData(ctx.getImageData(0, 0, canvas.width, canvas.height));
      return text ? checkText(text) : fail(msg("no-qr"));
    }
    return checkText(await file.text());
  }

  let stream = null;
  async function startCamera() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}});
    } catch (e) {
      return fail(msg("no-camera"));
    }
    const video = $("camera");
    video.srcObject = stream; video.hidden = false; $("camera-stop").hidden = false;
    await video.play();
    const canvas = document.createElement("canvas");
    const tick = () => {
      if (!stream) return;
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      if (canvas.width) {
        const ctx = canvas.getContext("2d");
        ctx.drawImage(video, 0, 0);
        const text = qrFromImageData(ctx.getImageData(0, 0, canvas.width, canvas.height));
        if (text) { stopCamera(); return checkText(text); }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
  function stopCamera() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $("camera").hidden = true;
    $("camera-stop").hidden = true;
  }

  $("verifier-file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) readFile(file);
  });
  $("camera-start").addEventListener("click", startCamera);
  $("camera-stop").addEventListener("click", stopCamera);
  start();
})();
