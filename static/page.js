// What the framework's own controls lack on a German public body's site, put right in
// the browser (Streamlit and Leaflet have no setting for it):
// - German for the words they show and speak (neither has a German version);
// - a menu whose structure screen readers can read (Streamlit nests its menu's sections
//   in a list as non-items, WCAG 1.3.1);
// and a staff login kept across reloads (#sq-keep-login, see keepLogin).
// Linked into every page by services/german_page.py; the app says its language in #sq-language.
(function () {
  "use strict";

  const WORDS = {
    "Skip to main content": "Zum Inhalt springen",
    "Link to heading": "Link zu dieser Überschrift",
    "Press Enter to apply": "Mit Enter übernehmen",
    "Press Enter to submit form": "Mit Enter absenden",
    "Choose an option": "Bitte wählen",
    "Choose options": "Bitte wählen",
    "No results": "Keine Treffer",
    "Show password": "Passwort zeigen",
    "Hide password": "Passwort verbergen",
    "Browse files": "Datei wählen",
    "Upload": "Hochladen",
    "Drag and drop file here": "Datei hierher ziehen",
    "Drag and drop files here": "Dateien hierher ziehen",
    "Add files": "Weitere Dateien wählen",
    "Delete": "Löschen",
    "Remove file": "Datei entfernen",
    "Download as CSV": "Als CSV herunterladen",
    "Download": "Herunterladen",
    "Search": "Suchen",
    "Fullscreen": "Vollbild",
    "View fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild beenden",
    "Exit fullscreen": "Vollbild beenden",
    "Clear all": "Alle entfernen",
    "Clear value": "Auswahl entfernen",
    "Clear": "Leeren",
    "Open": "Öffnen",
    "Close": "Schließen",
    "Copy to clipboard": "In die Zwischenablage kopieren",
    "Increment": "Erhöhen",
    "Decrement": "Verringern",
    "Open calendar": "Kalender öffnen",
    "Previous month": "Voriger Monat",
    "Next month": "Nächster Monat",
    "Collapse sidebar": "Seitenleiste schließen",
    "Expand sidebar": "Seitenleiste öffnen",
    "Main menu": "Hauptmenü",
    "Running...": "Läuft …",
    "Page not found": "Seite nicht gefunden",
    "Show more": "Mehr zeigen",
    "Show less": "Weniger zeigen",
    "Zoom in": "Vergrößern",
    "Zoom out": "Verkleinern",
    "A JavaScript library for interactive maps": "Eine JavaScript-Bibliothek für Karten",
    "streamlit_folium.st_folium": "Karte",
    "Sidebar": "Seitenleiste",
    "Show/hide columns": "Spalten zeigen oder verbergen",
    "file upload": "Datei hochladen",
    "Choose date": "Datum wählen",
    "Choose date range": "Zeitraum wählen",
    // Leaflet.draw, on the planners' maps
    "Draw a polyline": "Linie zeichnen",
    "Draw a polygon": "Fläche zeichnen",
    "Draw a rectangle": "Rechteck zeichnen",
    "Draw a circle": "Kreis zeichnen",
    "Draw a marker": "Punkt setzen",
    "Draw a circlemarker": "Kreispunkt setzen",
    "Edit layers": "Formen bearbeiten",
    "No layers to edit": "Keine Formen zum Bearbeiten",
    "Delete layers": "Formen löschen",
    "No layers to delete": "Keine Formen zum Löschen",
    "Cancel drawing": "Zeichnen abbrechen",
    "Cancel": "Abbrechen",
    "Finish drawing": "Zeichnen beenden",
    "Finish": "Fertig",
    "Delete last point drawn": "Letzten Punkt löschen",
    "Delete last point": "Letzten Punkt löschen",
    "Save changes": "Änderungen speichern",
    "Save": "Speichern",
    "Clear all layers": "Alle Formen löschen",
    "Export": "Exportieren",
    "App pages": "Seiten der App",
  };
  const MONTHS = {
    January: "Januar", February: "Februar", March: "März", April: "April", May: "Mai",
    June: "Juni", July: "Juli", August: "August", September: "September",
    October: "Oktober", November: "November", December: "Dezember",
  };
  // Applied one after another: "month, Zeitraum start date" needs two of them.
  const PATTERNS = [
    [/^Limit (\d+)\s?MB per file/, "Höchstens $1 MB je Datei"],
    [/^(\d+)\s?MB per file/, "höchstens $1 MB je Datei"],
    [/^View (\d+) more$/, "$1 weitere zeigen"],
    [/^(\d+) rows?$/, "$1 Zeilen"],
    [/^Remove (.+)$/, "$1 entfernen"],
    [/^Fullscreen: (.+)$/, "Vollbild: $1"],
    // The file uploader's refusals (the app's own checks follow in German too).
    [/^File must be (.+) or smaller\.$/, "Die Datei darf höchstens $1 groß sein."],
    [/^(.+) files are not allowed\.$/, "Dateien vom Typ $1 sind hier nicht möglich."],
    [/^File size is too small\.$/, "Die Datei ist zu klein."],
    [/^Only one file is allowed\.$/, "Bitte nur eine Datei."],
    [/^Unexpected error\. Please try again\.?$/, "Unerwarteter Fehler. Bitte noch einmal versuchen."],
    [/^day, /, "Tag, "],
    [/^month, /, "Monat, "],
    [/^year, /, "Jahr, "],
    [/ start date$/, " (Anfang)"],
    [/ end date$/, " (Ende)"],
    [
      /^Selected Date: (\w+) (\d+), (\d+)$/,
      (_all, month, day, year) => `Gewähltes Datum: ${Number(day)}. ${MONTHS[month] || month} ${year}`,
    ],
  ];
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "alt"];

  function german(text) {
    const trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(WORDS, trimmed)) {
      return text.replace(trimmed, WORDS[trimmed]);
    }
    let changed = trimmed;
    for (const [pattern, replacement] of PATTERNS) {
      changed = changed.replace(pattern, replacement);
    }
    return changed === trimmed ? null : text.replace(trimmed, changed);
  }

  function languageOf(doc) {
    const marker = (doc.defaultView.parent || window).document.getElementById("sq-language");
    return marker ? marker.getAttribute("data-language") : "de";
  }

  function translateNode(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const changed = german(node.nodeValue);
      if (changed !== null) node.nodeValue = changed;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const name of ATTRIBUTES) {
      const value = node.getAttribute(name);
      const changed = value === null ? null : german(value);
      if (changed !== null) node.setAttribute(name, changed);
    }
    if (node.tagName === "IFRAME") watchFrame(node);
    const walker = node.ownerDocument.createTreeWalker(
      node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT
    );
    for (let next = walker.nextNode(); next; next = walker.nextNode()) {
      if (next.nodeType === Node.TEXT_NODE) {
        const changed = german(next.nodeValue);
        if (changed !== null) next.nodeValue = changed;
      } else {
        for (const name of ATTRIBUTES) {
          const value = next.getAttribute(name);
          const changed = value === null ? null : german(value);
          if (changed !== null) next.setAttribute(name, changed);
        }
        if (next.tagName === "IFRAME") watchFrame(next);
      }
    }
  }

  // Streamlit's menu: <ul> holding section <div>s holding <li>s. The links stay in the
  // navigation landmark; each section becomes a named group, the broken list goes.
  // Attributes are only written when they differ: every write is a mutation the
  // observer below hears, and rewriting the same value would never end.
  function setOnce(element, name, value) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }

  function repairMenu(doc) {
    const items = doc.querySelector('[data-testid="stSidebarNavItems"]');
    if (!items) return;
    setOnce(items, "role", "none");
    for (const item of items.querySelectorAll("li")) setOnce(item, "role", "none");
    for (const section of items.children) {
      const header = section.querySelector('[data-testid="stNavSectionHeader"]');
      if (section.tagName === "DIV" && header) {
        setOnce(section, "role", "group");
        setOnce(section, "aria-label", header.innerText.trim());
      }
    }
  }

  // Streamlit's images carry their caption below, not as alt text: give it to them.
  function nameImages(doc) {
    for (const image of doc.querySelectorAll('[data-testid="stImage"] img')) {
      if (image.getAttribute("alt")) continue;
      const holder = image.closest('[data-testid="stImage"]');
      const caption = holder && holder.querySelector('[data-testid="stImageCaption"]');
      setOnce(image, "alt", caption ? caption.innerText.trim() : "Abbildung");
    }
  }

  // Just after a staff login the app puts the login's token in a hidden marker: posted
  // once to the app, it comes back as an HttpOnly cookie, so a reload keeps the login
  // (services/staff_cookie.py). The page's scripts cannot read that cookie.
  let keptToken = null;
  function keepLogin(doc) {
    const marker = doc.getElementById("sq-keep-login");
    const token = marker && marker.dataset.token;
    if (!token || token === keptToken) return;
    keptToken = token;
    fetch(marker.dataset.path, {
      method: "POST",
      body: token,
      credentials: "same-origin",
      headers: { "Content-Type": "text/plain" },
    });
    // Residents start with the menu closed; staff who just logged in get theirs open.
    const open = doc.querySelector('[data-testid="stExpandSidebarButton"]');
    if (open) open.click();
  }

  // The language button (ui/i18n.py) names the other language in that language: say
  // so, for screen readers to speak it right (WCAG 3.1.2).
  function markSwitch(doc, lang) {
    const button = doc.querySelector(".st-key-language_top button");
    if (button) setOnce(button, "lang", lang === "de" ? "en" : "de");
  }

  function watch(doc) {
    if (doc.sqWatched) return;
    doc.sqWatched = true;
    const apply = (root) => {
      const lang = languageOf(doc);
      doc.documentElement.lang = lang;
      repairMenu(doc);
      nameImages(doc);
      keepLogin(doc);
      markSwitch(doc, lang);
      if (lang === "de") translateNode(root);
    };
    apply(doc.body);
    new MutationObserver((records) => {
      const lang = languageOf(doc);
      doc.documentElement.lang = lang;
      repairMenu(doc);
      nameImages(doc);
      keepLogin(doc);
      markSwitch(doc, lang);
      if (lang !== "de") return;
      for (const record of records) {
        if (record.type === "childList") record.addedNodes.forEach(translateNode);
        else translateNode(record.target);
      }
    }).observe(doc.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ATTRIBUTES,
    });
  }

  function watchFrame(frame) {
    const attach = () => {
      try {
        const doc = frame.contentDocument;
        if (doc && doc.body) watch(doc);
      } catch (error) {
        // another origin: nothing of ours to translate there
      }
    };
    if (!frame.sqHooked) {
      frame.sqHooked = true;
      frame.addEventListener("load", attach);
    }
    attach();
  }

  // On a phone the menu lies over the page: after a choice in it, close it, as a
  // phone's menus do (Streamlit leaves it open over the page just chosen).
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebarNav"] a');
    if (!link || !window.matchMedia("(max-width: 767px)").matches) return;
    setTimeout(() => {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button')
        || document.querySelector('[data-testid="stSidebarCollapseButton"]');
      if (close) close.click();
    }, 300);
  }, true);

  if (document.body) watch(document);
  else document.addEventListener("DOMContentLoaded", () => watch(document));
})();
