// The member workspace: small progressive enhancements; every form works without this file.
(function () {
  "use strict";

  // A form sent once stays sent: a second tap does nothing while the first is on its way.
  // (The server also recognises a form posted twice; this only spares the wait.)
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      // Disable after the browser has collected the form, so the pressed button still counts.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });

  // --- The workspace on the home screen: a service worker keeps its shell for when there is no
  // signal (config/me/app.py). Signing out forgets the pages it kept.
  var manifest = document.querySelector("link[rel=manifest][data-service-worker]");
  // The account signed in: pages kept and forms kept are each that account's own.
  var USER = (manifest && manifest.getAttribute("data-user")) || "";
  if (manifest && "serviceWorker" in navigator && window.isSecureContext) {
    var worker = manifest.getAttribute("data-service-worker") + "?u=" + encodeURIComponent(USER);
    navigator.serviceWorker.register(worker, {
      scope: manifest.getAttribute("data-scope")
    }).catch(function () { /* the workspace works without it */ });
  }
  document.querySelectorAll("form[action$='/logout/']").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (!window.caches) { return; }
      caches.keys().then(function (keys) {
        keys.forEach(function (key) { if (key.indexOf("shangliang-me-") === 0) { caches.delete(key); } });
      });
    });
  });

  // --- The outbox: a form sent with no signal is kept on the phone (IndexedDB), its photos as
  // the shrunk blobs, under its one-time token, and sent when the network returns. The server
  // applies a token once, so a form sent twice (two tabs, a retry) is still one activity.
  var OUTBOX = "outbox";
  function openOutbox() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var open = indexedDB.open("shangliang-me", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(OUTBOX, { keyPath: "token" }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function outbox(mode, work) {
    return openOutbox().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(OUTBOX, mode);
        var result = work(tx.objectStore(OUTBOX));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  var notices = document.querySelectorAll("[data-outbox]");
  function notify(kind) {
    notices.forEach(function (notice) {
      if (!kind) { notice.hidden = true; return; }
      notice.textContent = notice.getAttribute("data-" + kind);
      notice.className = "notice " + (kind === "sent" ? "notice-success" : "notice-warning");
      notice.hidden = false;
    });
  }
  var sending = {};
  function flushOutbox() {
    if (!window.indexedDB) { return; }
    outbox("readonly", function (store) { return store.getAll(); }).then(function (records) {
      // Another account's forms (a phone shared at the workstation) wait for that account.
      records = (records || []).filter(function (r) { return USER && r.user === USER; });
      if (records.some(function (r) { return r.refused; })) { notify("refused"); }
      records = records.filter(function (r) { return !r.refused; });
      if (records.length) { notify("waiting"); }
      if (navigator.onLine !== false) { records.forEach(sendKept); }
    }).catch(function () {});
  }
  function sendKept(record) {
    if (sending[record.token]) { return; }
    sending[record.token] = true;
    var body = new FormData();
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    record.fields.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken" && csrf) { body.append(pair[0], csrf.value); }
      else { body.append(pair[0], pair[1]); }
    });
    record.photos.forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
    fetch(record.action, {
      method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!answer.outcome) {
          // Not an answer of the form (the sign-in page after the session ended, a stale
          // security token): it stays kept, and goes again once the member is signed in.
          return;
        }
        if (answer.location) {
          return outbox("readwrite", function (store) { store.delete(record.token); }).then(function () {
            notify(answer.outcome === "draft" ? "draft" : "sent");
            // The member is still on the form they typed: show them the activity, as after a submit.
            var form = document.querySelector("form[data-activity-form]");
            if (form && form.elements.form_token && form.elements.form_token.value === record.token) {
              window.location.assign(answer.location);
            }
          });
        }
        // Refused (a field to fix, the session gone): kept, and no longer sent by itself.
        record.refused = true;
        return outbox("readwrite", function (store) { store.put(record); }).then(function () { notify("refused"); });
      });
    }, function () { /* still no signal: it stays kept for the next "online" */ })
      .then(function () { delete sending[record.token]; }, function () { delete sending[record.token]; });
  }
  window.addEventListener("online", flushOutbox);
  flushOutbox();

  // --- The activity form: the photos are shrunk on the phone to what the server keeps (longest
  // side 1600 px, JPEG), and sent one by one once the required fields are filled, each with its
  // progress and a retry; without signal, the whole form goes to the outbox.
  var MAX_SIDE = 1600;
  function shrink(file) {
    if (!window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob) { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.type === "image/jpeg") { bitmap.close(); return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; }); // one the browser cannot read (HEIC): the server converts it
  }
  function jpegName(name) { return (name || "photo").replace(/\.[^.]*$/, "") + ".jpg"; }

  document.querySelectorAll("form[data-activity-form]").forEach(function (form) {
    var text = function (key) { return form.getAttribute("data-text-" + key) || ""; };
    var input = form.querySelector("input[type=file][name=photos]");
    var list = form.querySelector("[data-preview-for]");
    var description = form.elements.description;
    var photos = [];
    var busy = false;
    var sendNow = false;
    if (form.hasAttribute("data-fresh-token") && window.crypto && crypto.randomUUID) {
      // A new form may be a copy the worker kept: a token of its own, never one already used.
      form.elements.form_token.value = crypto.randomUUID();
    }

    function show(photo, state, message) {
      photo.state = state;
      photo.status.textContent = message || text(state);
      photo.retry.hidden = state !== "failed";
      // A bar while the photo is being shrunk (no value: "working") and while it goes up.
      photo.progress.hidden = state === "ready" || state === "refused";
      if (state === "preparing") { photo.progress.removeAttribute("value"); }
      photo.item.classList.toggle("failed", state === "failed" || state === "refused");
    }
    var alert = null;
    if (input && list && window.FormData) {
      alert = document.createElement("p");
      alert.className = "errorlist";
      alert.setAttribute("role", "alert");
      alert.hidden = true;
      list.parentNode.insertBefore(alert, list.nextSibling);
      var chosen = function () {
        Array.prototype.forEach.call(input.files || [], function (file) {
          var photo = { name: jpegName(file.name), state: "preparing" };
          photo.item = document.createElement("li");
          var img = document.createElement("img");
          img.alt = file.name;
          photo.progress = document.createElement("progress");
          photo.progress.max = 100;
          photo.status = document.createElement("span");
          photo.status.className = "photo-status small";
          photo.retry = document.createElement("button");
          photo.retry.type = "button";
          photo.retry.className = "button button-secondary photo-retry";
          photo.retry.textContent = text("retry");
          photo.retry.hidden = true;
          photo.retry.addEventListener("click", function () { upload(photo).catch(function () {}); });
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "photo-remove small";
          remove.textContent = text("remove");
          remove.addEventListener("click", function () {
            photos.splice(photos.indexOf(photo), 1);
            if (photo.keep) { photo.keep.remove(); }
            photo.item.remove();
          });
          photo.item.append(img, photo.progress, photo.status, photo.retry, remove);
          list.appendChild(photo.item);
          photos.push(photo);
          show(photo, "preparing");
          photo.ready = shrink(file).then(function (blob) {
            photo.blob = blob;
            if (blob.type !== "image/jpeg") { photo.name = file.name; }
            img.src = URL.createObjectURL(blob);
            img.onload = function () { URL.revokeObjectURL(img.src); };
            show(photo, "ready", " ");
          });
        });
        // Only the shrunk copies are sent, one by one (below); the full-size files stay here.
        input.value = "";
      };
      input.addEventListener("change", chosen);
      // Photos chosen while this script was still on its way (a slow network).
      if (input.files && input.files.length) { chosen(); }
    }

    function upload(photo) {
      // A retry still on its way when the form is sent: the same upload, not a second one.
      if (!photo.sending) {
        var clear = function () { photo.sending = null; };
        photo.sending = send(photo);
        photo.sending.then(clear, clear);
      }
      return photo.sending;
    }
    function send(photo) {
      return photo.ready.then(function () {
        return new Promise(function (resolve, reject) {
          show(photo, "sending");
          photo.progress.value = 0;
          var body = new FormData();
          body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
          body.append("form_token", form.elements.form_token.value);
          body.append("photo", photo.blob, photo.name);
          var xhr = new XMLHttpRequest();
          xhr.open("POST", form.getAttribute("data-upload-url"));
          xhr.setRequestHeader("Accept", "application/json");
          xhr.upload.onprogress = function (event) {
            if (event.lengthComputable) { photo.progress.value = Math.round(100 * event.loaded / event.total); }
          };
          xhr.onload = function () {
            var answer = {};
            try { answer = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a server error */ }
            if (xhr.status === 200 && answer.id) {
              photo.progress.value = 100;
              photo.keep = document.createElement("input");
              photo.keep.type = "hidden";
              photo.keep.name = "keep_photo";
              photo.keep.value = answer.id;
              form.appendChild(photo.keep);
              show(photo, "sent");
              resolve();
            } else if (xhr.status === 400 && answer.error) {
              show(photo, "refused", answer.error); // not a photo we keep: nothing to retry
              resolve();
            } else {
              show(photo, "failed");
              reject(new Error("server"));
            }
          };
          xhr.onerror = function () { show(photo, "failed"); reject(new TypeError("network")); };
          xhr.send(body);
        });
      });
    }

    function keep(submitter) {
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") { fields.push([name, value]); }
      });
      if (submitter && submitter.name) { fields.push([submitter.name, submitter.value]); }
      return Promise.all(photos.map(function (p) { return p.ready; })).then(function () {
        var record = {
          token: form.elements.form_token.value,
          user: USER,
          // Not form.action: the buttons are named "action" too.
          action: new URL(form.getAttribute("action"), window.location.href).href,
          fields: fields,
          photos: photos.filter(function (p) { return p.state !== "sent" && p.state !== "refused"; })
            .map(function (p) { return { blob: p.blob, name: p.name }; }),
          kept: new Date().toISOString()
        };
        return outbox("readwrite", function (store) { store.put(record); });
      }).then(function () {
        notify("waiting");
        (document.querySelector("[data-outbox]") || form).scrollIntoView({ block: "center" });
      });
    }

    form.addEventListener("submit", function (event) {
      if (sendNow) { return; } // the photos are up: the form goes as any form
      event.preventDefault();
      if (busy) { return; }
      var submitter = event.submitter;
      // What the server would refuse is refused here, before anything is sent.
      if (description) { description.required = !!(submitter && submitter.value === "submit"); }
      var invalid = form.querySelector(":invalid:not(fieldset):not(form)");
      if (invalid) {
        var folded = invalid.closest("details");
        if (folded) { folded.open = true; }
        form.reportValidity();
        return;
      }
      busy = true;
      if (alert) { alert.hidden = true; }
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      var done = function () { busy = false; buttons.forEach(function (b) { b.disabled = false; }); };
      if (navigator.onLine === false) { keep(submitter).then(done, done); return; }
      var waiting = photos.filter(function (p) { return p.state !== "sent" && p.state !== "refused"; });
      waiting.reduce(function (chain, photo) {
        return chain.then(function () { return upload(photo); });
      }, Promise.resolve()).then(function () {
        done();
        // After this submit event is over: a submit inside it would be ignored.
        window.setTimeout(function () {
          sendNow = true;
          if (form.requestSubmit) { form.requestSubmit(submitter); }
          else { form.submit(); }
          sendNow = false;
          buttons.forEach(function (b) { b.disabled = true; });
        }, 0);
      }, function (error) {
        if (error instanceof TypeError || navigator.onLine === false) {
          keep(submitter).then(done, done);
        } else {
          done();
          var first = photos.filter(function (p) { return p.state === "failed"; })[0];
          if (alert) { alert.textContent = text("photos-left"); alert.hidden = false; }
          if (first) { first.retry.focus(); }
        }
      });
    });
    form.setAttribute("data-enhanced", "");
    window.addEventListener("pageshow", function () {
      busy = false;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });

  // A long list of members: a search box that narrows it as one types.
  document.querySelectorAll("[data-filter-for]").forEach(function (box) {
    var field = document.getElementById(box.getAttribute("data-filter-for"));
    var search = box.querySelector("input");
    if (!field || !search) { return; }
    var choices = field.querySelectorAll("label.choice");
    if (choices.length < 8) { return; }
    box.hidden = false;
    search.addEventListener("input", function () {
      var wanted = search.value.trim().toLowerCase();
      choices.forEach(function (choice) {
        var checked = choice.querySelector("input").checked;
        choice.hidden = !!wanted && !checked && choice.textContent.toLowerCase().indexOf(wanted) === -1;
      });
    });
  });

  // "Show password", for those who type slowly on a small keyboard.
  document.querySelectorAll("[data-show-password]").forEach(function (box) {
    var field = document.getElementById(box.getAttribute("data-show-password"));
    if (!field) { return; }
    box.closest("[hidden]") && box.closest("[hidden]").removeAttribute("hidden");
    box.addEventListener("change", function () { field.type = box.checked ? "text" : "password"; });
  });
})();
