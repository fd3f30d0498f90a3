# This file is part of mrk_monitoring: the models are registered in tryton.cfg.
