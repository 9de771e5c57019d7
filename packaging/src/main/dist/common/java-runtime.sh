# Sourced by snapci's launchers (POSIX sh: the executor's launcher runs in images that have no bash).
#
# snapci_java HOME prints the java command to use: HOME/jre/bin/java (the Java 17 runtime shipped in the bundle,
# built for linux-x86_64 with glibc) when it runs here, else $JAVA_HOME/bin/java or the java on the PATH when that
# one is Java 17 or newer. Returns 1 when none fits. An older Java is never chosen: snapci's classes are Java 17
# bytecode and would fail with UnsupportedClassVersionError.

snapci_java_is_17_or_newer() {
    # java.specification.version is "1.8" on Java 8 and "11", "17", "21" later; -XshowSettings exists since Java 7.
    snapci_spec="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
    case "$snapci_spec" in
        '' | 1.*) return 1 ;;
    esac
    [ "${snapci_spec%%.*}" -ge 17 ] 2>/dev/null
}

snapci_java() {
    for snapci_candidate in "$1/jre/bin/java" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)"; do
        if [ -n "$snapci_candidate" ] && [ -x "$snapci_candidate" ] && snapci_java_is_17_or_newer "$snapci_candidate"; then
            echo "$snapci_candidate"
            return 0
        fi
    done
    return 1
}
