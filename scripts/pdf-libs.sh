# Sourced by start.sh and test.sh: Debian's Pango for WeasyPrint (the archive PDFs), installed
# when missing.
#
# libpango-1.0-0 and libpangoft2-1.0-0 are needed to render the archive PDFs at all;
# libharfbuzz-subset0 only makes embedding the fonts fast. start.sh never stops for them (the app
# runs without PDFs, and says so); test.sh sets PDF_LIBS_REQUIRED=1, because the tests render
# PDFs. apt-get waits for a lock another apt holds (up to APT_LOCK_TIMEOUT seconds) and is retried.
PDF_LIBS_REQUIRED="${PDF_LIBS_REQUIRED:-0}"
APT_LOCK_TIMEOUT="${APT_LOCK_TIMEOUT:-300}"
APT_RETRY_DELAY="${APT_RETRY_DELAY:-5}"  # seconds, times the attempt number

pdf_libs_missing() {
    local lib missing=()
    for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
        dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$lib")
    done
    echo "${missing[*]}"
}

pdf_libs_sudo() {
    if [ "$(id -u)" -eq 0 ]; then return 0; fi
    if [ -t 0 ]; then echo sudo; else echo "sudo -n"; fi  # never wait for a password unseen
}

pdf_libs_apt() {
    # One apt-get call that waits for the dpkg lock instead of failing on it, tried three times.
    local attempt
    for attempt in 1 2 3; do
        # shellcheck disable=SC2046
        if $(pdf_libs_sudo) env DEBIAN_FRONTEND=noninteractive apt-get \
                -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT" -q "$@"; then
            return 0
        fi
        [ "$attempt" -lt 3 ] || break
        echo "==> apt-get $1 failed (attempt $attempt of 3); trying again in" \
             "$((attempt * APT_RETRY_DELAY)) s" >&2
        sleep $((attempt * APT_RETRY_DELAY))
    done
    return 1
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    missing_pdf_libs="$(pdf_libs_missing)"
    if [ -n "$missing_pdf_libs" ]; then
        if [ "$(id -u)" -ne 0 ] && [ ! -t 0 ] && ! sudo -n true 2>/dev/null; then
            echo "==> missing $missing_pdf_libs, and no root to install them:" \
                 "run 'sudo apt-get install $missing_pdf_libs'" >&2
        else
            echo "==> installing Debian's $missing_pdf_libs for the PDF archive"
            # shellcheck disable=SC2086
            { pdf_libs_apt update -qq && pdf_libs_apt install -y -qq $missing_pdf_libs; } \
                || echo "==> apt-get could not install $missing_pdf_libs" >&2
        fi
    fi
    unset missing_pdf_libs
fi

if ! python -c "import weasyprint" 2>/dev/null; then
    if [ "$PDF_LIBS_REQUIRED" = 1 ]; then
        echo "WeasyPrint cannot load Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0);" \
             "the tests render PDFs and need it" >&2
        exit 1
    fi
    echo "==> WARNING: WeasyPrint cannot load Pango, so signed sheets are not rendered to PDF" \
         "(each archive is recorded as failed and can be retried from the admin once Pango" \
         "is installed: Debian's libpango-1.0-0 libpangoft2-1.0-0). Everything else works." >&2
elif command -v dpkg-query >/dev/null 2>&1 && ! dpkg-query -W -f='${Status}' \
        libharfbuzz-subset0 2>/dev/null | grep -q "install ok installed"; then
    echo "==> note: without libharfbuzz-subset0 the PDFs still render, but embedding their" \
         "fonts takes a slower pure-Python path (seconds more per PDF)" >&2
fi
