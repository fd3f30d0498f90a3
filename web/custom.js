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
    // sao 8.0 treats a list-form (the technicians' phone lists) as a form:
    // it shows neither the filter nor the tabs and never searches, so such
    // an action opened empty. Make it a list as tree, graph and calendar.
    var search_active = Sao.Screen.prototype.search_active;
    Sao.Screen.prototype.search_active = function(active) {
        if (this.current_view &&
                this.current_view.view_type == 'list-form') {
            active = true;
        }
        return search_active.call(this, active);
    };
    var init = Sao.Tab.Form.prototype.init;
    Sao.Tab.Form.prototype.init = function(attributes) {
        init.apply(this, arguments);
        var screen = this.screen;
        this.view_prm.done(function() {
            if (!attributes.res_id && screen.current_view &&
                    screen.current_view.view_type == 'list-form') {
                screen.search_filter();
            }
        });
    };
}());
