// Nothing typed is lost to the idle sign-out (docs/decisions/0017-lost-typing.md):
// - what is typed into a form that is sent by POST is kept in sessionStorage, keyed by the page's
//   path, and put back with a notice when the page is opened again after signing in; never a
//   password, a file or the security token;
// - the GOV.UK timeout warning opens before the session ends, with "Stay signed in" (a POST that
//   pushes the session's expiry back) and "Sign out"; when nobody answers, the page signs the person
//   out itself, before the server would, asking to come back to this page after signing in again;
// - a form marked `data-iroscope-unsaved-warning` asks before the page is left with changes unsaved.

const TYPED_PREFIX = "iroscope-typed:";
const LAST_ACTIVE = "iroscope-last-active";
const SECRET = /csrf|password|token|secret/i;

function keptForm(form) {
  return (
    form.method.toLowerCase() === "post" &&
    form.id !== "sign-out-form" &&
    !form.querySelector("input[type=password], input[type=file]")
  );
}

function keptInputs(form) {
  return Array.from(form.elements).filter(
    (element) =>
      element.name &&
      !SECRET.test(element.name) &&
      !element.disabled &&
      ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName) &&
      !["password", "file", "submit", "button", "reset", "image"].includes(element.type),
  );
}

function formsKept() {
  return Array.from(document.forms).filter(keptForm);
}

function snapshot(form) {
  return keptInputs(form).map((element) => {
    if (element.type === "checkbox" || element.type === "radio") {
      return { name: element.name, value: element.value, checked: element.checked };
    }
    return { name: element.name, value: element.value };
  });
}

function storageKey() {
  return TYPED_PREFIX + window.location.pathname;
}

function typedStore() {
  const forms = formsKept();
  const changed = forms.some((form) => form.dataset.iroscopeChanged === "yes");
  if (!changed) {
    return;
  }
  const kept = forms.map((form) => (form.dataset.iroscopeChanged === "yes" ? snapshot(form) : null));
  try {
    window.sessionStorage.setItem(storageKey(), JSON.stringify(kept));
  } catch {
    // Storage full or refused: the page still works, it just cannot keep the text.
  }
}

function typedForget() {
  try {
    window.sessionStorage.removeItem(storageKey());
  } catch {
    // Nothing kept.
  }
}

function restoreInto(form, saved) {
  let differed = false;
  const pending = new Map();
  for (const item of saved) {
    if (!pending.has(item.name)) {
      pending.set(item.name, []);
    }
    pending.get(item.name).push(item);
  }
  for (const element of keptInputs(form)) {
    const items = pending.get(element.name);
    if (!items || items.length === 0) {
      continue;
    }
    if (element.type === "checkbox" || element.type === "radio") {
      const item = items.find((candidate) => candidate.value === element.value);
      if (item && element.checked !== item.checked) {
        element.checked = item.checked;
        differed = true;
      }
      continue;
    }
    const item = items.shift();
    if (element.value !== item.value) {
      element.value = item.value;
      differed = true;
    }
  }
  if (differed) {
    form.dataset.iroscopeChanged = "yes";
  }
  return differed;
}

function noticeShow() {
  const main = document.getElementById("main-content");
  if (!main || document.getElementById("typed-kept")) {
    return;
  }
  const banner = document.createElement("div");
  banner.className = "govuk-notification-banner";
  banner.id = "typed-kept";
  banner.setAttribute("role", "region");
  banner.setAttribute("aria-labelledby", "typed-kept-title");
  banner.innerHTML =
    '<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="typed-kept-title">Important</h2></div>' +
    '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">We kept what you had typed</p>' +
    '<p class="govuk-body">It had not been saved when you left this page. Check it below, then save it.</p></div>';
  main.prepend(banner);
}

function typedRestore() {
  let kept = null;
  try {
    kept = JSON.parse(window.sessionStorage.getItem(storageKey()) || "null");
  } catch {
    kept = null;
  }
  if (!Array.isArray(kept)) {
    return;
  }
  const forms = formsKept();
  let restored = false;
  kept.forEach((saved, index) => {
    if (Array.isArray(saved) && forms[index]) {
      restored = restoreInto(forms[index], saved) || restored;
    }
  });
  if (restored) {
    noticeShow();
  }
}

let leaving = false;

function typedWatch() {
  for (const form of formsKept()) {
    form.addEventListener("input", () => {
      form.dataset.iroscopeChanged = "yes";
      typedStore();
    });
    form.addEventListener("change", () => {
      form.dataset.iroscopeChanged = "yes";
      typedStore();
    });
    // Sent: the server now holds it (saved, or shown back with its errors, or kept by the page for
    // a session that changed), so the copy here is let go.
    form.addEventListener("submit", () => {
      leaving = true;
      typedForget();
    });
  }
  window.addEventListener("beforeunload", (event) => {
    if (leaving) {
      return;
    }
    const unsaved = Array.from(document.querySelectorAll("form[data-iroscope-unsaved-warning]")).some(
      (form) => form.dataset.iroscopeChanged === "yes",
    );
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

function lastActiveNote() {
  try {
    window.localStorage.setItem(LAST_ACTIVE, String(Date.now()));
  } catch {
    // Other tabs will not know of this one; each still warns on its own clock.
  }
}

function lastActive() {
  try {
    return Number(window.localStorage.getItem(LAST_ACTIVE)) || 0;
  } catch {
    return 0;
  }
}

function inWords(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

function timeoutWarning() {
  const dialog = document.getElementById("timeout-warning");
  const signOutForm = document.getElementById("sign-out-form");
  if (!dialog || !signOutForm || typeof dialog.showModal !== "function") {
    return;
  }
  const sessionSeconds = Number(dialog.dataset.sessionSeconds);
  const warningSeconds = Number(dialog.dataset.warningSeconds);
  const time = document.getElementById("timeout-warning-time");
  let endsAt = 0;
  let timer = 0;

  function signOut() {
    typedStore();
    leaving = true;
    const next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = window.location.pathname + window.location.search;
    signOutForm.append(next);
    signOutForm.submit();
  }

  function tick() {
    // Another tab may have used the session since: follow the latest activity of any tab.
    const latest = lastActive() + sessionSeconds * 1000;
    if (latest > endsAt) {
      endsAt = latest;
      if (dialog.open) {
        dialog.close();
      }
    }
    const left = Math.round((endsAt - Date.now()) / 1000);
    if (left <= 0) {
      window.clearInterval(timer);
      signOut();
      return;
    }
    if (left <= warningSeconds) {
      time.textContent = inWords(left);
      if (!dialog.open) {
        dialog.showModal();
        document.getElementById("timeout-warning-stay").focus();
      }
    }
  }

  document.getElementById("timeout-warning-stay").addEventListener("click", async () => {
    const token = signOutForm.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(dialog.dataset.keepUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.ok) {
      lastActiveNote();
      endsAt = Date.now() + sessionSeconds * 1000;
      dialog.close();
    } else {
      signOut();
    }
  });
  document.getElementById("timeout-warning-sign-out").addEventListener("click", signOut);
  // Escape closes a modal dialog; here it means "stay signed in", as the pattern says.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    document.getElementById("timeout-warning-stay").click();
  });

  lastActiveNote();
  endsAt = Date.now() + sessionSeconds * 1000;
  timer = window.setInterval(tick, 1000);
}

export function initSession() {
  typedRestore();
  typedWatch();
  timeoutWarning();
}
