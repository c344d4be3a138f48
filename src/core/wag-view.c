#include "wag-view.h"

G_DEFINE_QUARK(wag-session-error-quark, wag_session_error)
