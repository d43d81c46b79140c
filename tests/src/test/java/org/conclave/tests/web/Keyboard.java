package org.conclave.tests.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.conclave.tests.homeserver.MatrixPages;

/**
 * A person who uses only the keyboard: Tab and Shift+Tab to move, Enter and Space to act. Every control the focus
 * stops on must show a visible focus ring and have a name a screen reader can say; a control out of reach within
 * {@link #MAX_STEPS} presses fails the test.
 */
final class Keyboard {
    static final int MAX_STEPS = 60;
    /** What the focused element is: whether it matches the wanted selector, its accessible name, its focus ring. */
    private static final String FOCUS = """
            (selector) => {
              const el = document.activeElement;
              if (!el || el === document.body) return { none: true };
              const labelled = el.getAttribute('aria-labelledby');
              const name = (el.getAttribute('aria-label')
                || (labelled && document.getElementById(labelled)?.textContent)
                || (el.labels && el.labels[0] && el.labels[0].textContent)
                || el.textContent || '').trim();
              const style = getComputedStyle(el);
              const ring = el.matches(':focus-visible') && style.outlineStyle !== 'none'
                && parseFloat(style.outlineWidth) > 0;
              return { matches: el.matches(selector), name, ring, what: el.tagName.toLowerCase()
                + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string'
                  ? '.' + el.className.trim().split(/\\s+/).join('.') : '') };
            }""";

    private final MatrixPages pages;
    private final String page;

    Keyboard(MatrixPages pages, String page) {
        this.pages = pages;
        this.page = page;
    }

    /** Presses Tab (or Shift+Tab) until the focus is on the selector's element; checks every stop on the way. */
    void tabTo(String selector, boolean backwards) throws Exception {
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS; i++) {
            pages.press(page, backwards ? "Shift+Tab" : "Tab");
            JsonObject focus = focus(selector);
            if (focus.getBoolean("none", false)) {
                stops.add("(nothing)");
                continue;
            }
            String what = focus.getString("what");
            stops.add(what);
            assertThat(focus.getString("name")).as("the name of %s on %s (after %s)", what, page, stops).isNotBlank();
            assertThat(focus.getBoolean("ring")).as("a visible focus ring on %s on %s", what, page).isTrue();
            if (focus.getBoolean("matches")) return;
        }
        throw new AssertionError(selector + " not reached with " + (backwards ? "Shift+Tab" : "Tab") + " on " + page
                + " in " + MAX_STEPS + " presses; focus went " + stops);
    }

    void tabTo(String selector) throws Exception {
        tabTo(selector, false);
    }

    /** Whether the focus is on the selector's element now. */
    boolean focusedOn(String selector) throws Exception {
        return focus(selector).getBoolean("matches", false);
    }

    void enter() throws Exception {
        pages.press(page, "Enter");
    }

    void space() throws Exception {
        pages.press(page, " ");
    }

    void type(String text) throws Exception {
        pages.type(page, text);
    }

    /** Selects what the focused field holds (Ctrl+A), so that typing replaces it. */
    void selectAll() throws Exception {
        pages.press(page, "Control+a");
    }

    private JsonObject focus(String selector) throws Exception {
        return (JsonObject) pages.eval(page, FOCUS, selector, WebRig.TIMEOUT);
    }
}
