{% autoescape off %}// The member workspace's service worker (config/me/app.py). It keeps the shell (styles, scripts,
// icons) and the last copy of each workspace page, so the workspace opens with no signal; a form
// typed then is kept by member.js (IndexedDB) and sent when the network returns, not by this file.
"use strict";
var PREFIX = "shangliang-me-";
// One worker, and one cache of pages, per account: the page registers ?u=<the account>, so
// another member signing in on the same phone installs a new worker, which deletes the other
// account's pages before it serves any (activate, below).
var CACHE = PREFIX + "{{ version|escapejs }}-" + (new URL(self.location.href).searchParams.get("u") || "0");
var DESK = "{{ desk|escapejs }}";
var SHELL = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf(PREFIX) === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname.indexOf(DESK) === 0) {
    // The network first, so a page is never older than it must be; its last copy without signal.
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && !response.redirected) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      }).catch(function () {
        return caches.match(request).then(function (hit) { return hit || caches.match(DESK); });
      })
    );
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.match(request).then(function (hit) { return hit || fetch(request); })
    );
  }
});
{% endautoescape %}
