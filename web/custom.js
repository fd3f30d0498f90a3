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
    // Phone numbers dial on Android and iOS: a "tel:" link with the number's
    // digits and a handset icon, not Tryton's "callto:" (a Skype scheme
    // phones do not open) with a globe (issue 12, item 10).
    var PHONE_ICON = 'data:image/svg+xml;utf8,' + encodeURIComponent(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" ' +
        'width="24" height="24"><path fill="#555" d="M6.6 10.8a15.1 15.1 ' +
        '0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 ' +
        '1 1V20c0 .6-.4 1-1 1C10.6 21 3 13.4 3 4c0-.6.4-1 1-1h3.5c.6 0 1 ' +
        '.4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1z"/></svg>');
    function tel(value) {
        return value ? 'tel:' + String(value).replace(/[^+\d]/g, '') : '';
    }
    Sao.View.Form.CallTo.prototype.set_url = function(value) {
        Sao.View.Form.URL.prototype.set_url.call(this, tel(value));
        this.button.removeAttr('target');
    };
    Sao.View.Form.CallTo.prototype.set_icon = function() {
        this.icon.attr('src', PHONE_ICON);
    };
    // The lists' phone columns: their link is made as the row is drawn.
    document.addEventListener('click', function(event) {
        var link = event.target.closest && event.target.closest(
            'a[href^="callto:"]');
        if (link) {
            link.setAttribute('href',
                tel(link.getAttribute('href').slice('callto:'.length)));
            link.removeAttribute('target');
        }
    }, true);

    // Sizes of files in Russian («12.3 КБ», not «12.3kB»).
    var humanize = Sao.common.humanize;
    var UNITS = {'': '', 'k': 'К', 'M': 'М', 'G': 'Г', 'T': 'Т'};
    Sao.common.humanize = function(size, suffix) {
        var text = humanize.apply(this, arguments);
        if (suffix == 'B' && Sao.i18n.getlang().slice(0, 2) == 'ru') {
            var match = /^(.*?)([kMGT]?)B$/.exec(text);
            if (match && match[2] in UNITS) {
                return match[1] + '\u00a0' + UNITS[match[2]] + 'Б';
            }
        }
        return text;
    };

    // The calendar's arrows are announced as «next» / «prev»: name them.
    var fullCalendar = jQuery.fn.fullCalendar;
    jQuery.fn.fullCalendar = function() {
        var result = fullCalendar.apply(this, arguments);
        this.find('.fc-prev-button').attr({
            'aria-label': Sao.i18n.gettext("Previous"),
            'title': Sao.i18n.gettext("Previous"),
        });
        this.find('.fc-next-button').attr({
            'aria-label': Sao.i18n.gettext("Next"),
            'title': Sao.i18n.gettext("Next"),
        });
        return result;
    };
}());
