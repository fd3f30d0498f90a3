# Tests of mrk_monitoring.
