/* MRK defaults for the web client, loaded by sao's index.html after sao. */
(function() {
    'use strict';
    Sao.config.title = 'МРК';
    // The login screen speaks the office's language, not the browser's:
    // a user's own language applies once he is logged in.
    var setlang = Sao.i18n.setlang;
    Sao.i18n.setlang = function(lang) {
        return setlang(lang || 'ru');
    };
    // sao 8.0 searches a board column twice when the board opens: once
    // without its filter and once with it, and shows whichever answer comes
    // last. A column that is not on the page yet searches by itself with
    // its filter once it is shown.
    var display = Sao.View.Board.Action.prototype.display;
    Sao.View.Board.Action.prototype.display = function() {
        if (!this.screen ||
                !this.screen.screen_container.el.parent().length) {
            return;
        }
        return display.call(this);
    };
}());
