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
}());
