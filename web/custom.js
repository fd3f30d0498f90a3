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
    // After a button or a wizard that asks for a reload, sao 8.0 searches
    // lists again but not list-forms: the card of a stop the courier has
    // just reported would stay on the tab "to report". Search them too.
    var client_action = Sao.Screen.prototype.client_action;
    Sao.Screen.prototype.client_action = function(action) {
        if (action == 'reload' && this.current_view &&
                this.current_view.view_type == 'list-form' &&
                !this.group.parent) {
            return this.search_filter(this.screen_container.get_text());
        }
        return client_action.apply(this, arguments);
    };
    // In sao 8.0 a button of a list-form card or of a list row only selects
    // its record on the first tap and acts on the second. A technician taps
    // "Done" once: let the tap select the record (the event goes on to the
    // card or row), then press the button as soon as it is selected.
    function press_when_selected(is_selected, press) {
        var tries = 0;
        var timer = window.setInterval(function() {
            if (is_selected()) {
                window.clearInterval(timer);
                press();
            } else if (++tries > 60) {
                window.clearInterval(timer);
            }
        }, 50);
    }
    var form_button_clicked =
        Sao.View.ListGroupViewForm.prototype.button_clicked;
    Sao.View.ListGroupViewForm.prototype.button_clicked = function(event) {
        var form = this;
        var selected = function() {
            return Sao.common.compare(
                form.screen.selected_records, [form.record]);
        };
        if (selected()) {
            return form_button_clicked.call(form, event);
        }
        press_when_selected(selected, function() {
            form_button_clicked.call(form, event);
        });
    };
    var column_button_clicked =
        Sao.View.Tree.ButtonColumn.prototype.button_clicked;
    Sao.View.Tree.ButtonColumn.prototype.button_clicked = function(event) {
        var column = this;
        var record = event.data[0];
        if (record == column.view.screen.current_record) {
            return column_button_clicked.call(column, event);
        }
        press_when_selected(function() {
            return record == column.view.screen.current_record;
        }, function() {
            column_button_clicked.call(column, {
                data: event.data,
                stopImmediatePropagation: function() {},
            });
        });
        // The row selects the record
        return true;
    };
}());
