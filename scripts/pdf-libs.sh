# Sourced by start.sh and test.sh: Debian's Pango for WeasyPrint (the archive PDFs), installed
# when missing. libharfbuzz-subset0 lets WeasyPrint subset the embedded fonts without the slow
# fallback.
missing_pdf_libs=()
for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
    dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "install ok installed" \
        || missing_pdf_libs+=("$lib")
done
if [ "${#missing_pdf_libs[@]}" -gt 0 ]; then
    echo "==> installing Debian's ${missing_pdf_libs[*]} for the PDF archive"
    if [ "$(id -u)" -eq 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing_pdf_libs[@]}"
fi
python -c "import weasyprint" \
    || { echo "WeasyPrint cannot load Pango even after apt-get install" >&2; exit 1; }
