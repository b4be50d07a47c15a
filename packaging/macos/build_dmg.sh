#!/usr/bin/env bash
# Turn dist/Briefing.app (made by `pyinstaller packaging/briefing.spec` on a Mac) into
# dist/Briefing-<version>-macos-<arm64|x86_64>.dmg, signed and notarised when the Apple credentials are set:
#
#   APPLE_SIGNING_IDENTITY  a "Developer ID Application: …" identity in the keychain
#   APPLE_ID                the Apple ID that submits to the notary service
#   APPLE_TEAM_ID           the developer team's ID
#   APPLE_APP_PASSWORD      an app-specific password of that Apple ID
#
# Without APPLE_SIGNING_IDENTITY the app keeps the ad-hoc signature PyInstaller gives it
# and the disk image is unsigned; without the three notary variables nothing is sent to
# Apple. Each skipped step says so. Run from anywhere; paths are relative to the checkout.
set -euo pipefail

cd "$(dirname "$0")/../.."
APP="dist/Briefing.app"
ENTITLEMENTS="packaging/macos/entitlements.plist"
PYTHON="${PYTHON:-python3}"

if [ "$(uname -s)" != "Darwin" ]; then
    echo "error: build_dmg.sh needs macOS (hdiutil, codesign, xcrun)" >&2
    exit 2
fi
if [ ! -d "$APP" ]; then
    echo "error: $APP not found; build it first: pyinstaller packaging/briefing.spec" >&2
    exit 2
fi

plutil -lint "$APP/Contents/Info.plist"
PLIST_BUDDY=/usr/libexec/PlistBuddy
VERSION="$("$PLIST_BUDDY" -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")"
# The app holds binaries for the build machine's architecture only.
DMG="dist/Briefing-${VERSION}-macos-$(uname -m).dmg"

SIGN=0
if [ -n "${APPLE_SIGNING_IDENTITY:-}" ]; then
    SIGN=1
fi
NOTARISE=0
if [ "$SIGN" = 1 ] && [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] \
    && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    NOTARISE=1
fi

# Print one top-level field of the JSON document on standard input.
json_field() {
    "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"
}

# Submit a file to Apple's notary service and wait; fail unless it is accepted.
# notarytool exits 0 even for a rejected submission, so the status is read from its JSON.
notarise() {
    local file="$1" result status submission
    echo "Notarising $file (this usually takes a few minutes)"
    result="$(xcrun notarytool submit "$file" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait --output-format json)"
    status="$(printf '%s' "$result" | json_field status)"
    submission="$(printf '%s' "$result" | json_field id)"
    if [ "$status" != "Accepted" ]; then
        echo "error: notarisation of $file ended with status '${status:-unknown}'" >&2
        if [ -n "$submission" ]; then
            xcrun notarytool log "$submission" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
                --password "$APPLE_APP_PASSWORD" >&2 || true
        fi
        exit 1
    fi
    echo "Notarisation accepted (submission $submission)"
}

# 1. Sign the app: every nested binary, with the hardened runtime and a secure timestamp,
#    as notarisation requires.
if [ "$SIGN" = 1 ]; then
    echo "Signing $APP as $APPLE_SIGNING_IDENTITY"
    codesign --force --deep --options runtime --timestamp --entitlements "$ENTITLEMENTS" \
        --sign "$APPLE_SIGNING_IDENTITY" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
else
    echo "Code signing skipped: APPLE_SIGNING_IDENTITY is not set. The app keeps its ad-hoc"
    echo "signature; Gatekeeper will block it until the user allows it in System Settings."
fi

# 2. Notarise and staple the app itself, so that it also opens without a network
#    connection once copied to /Applications (Gatekeeper otherwise asks Apple online).
if [ "$NOTARISE" = 1 ]; then
    ZIP="$(mktemp -d)/Briefing.zip"
    ditto -c -k --keepParent "$APP" "$ZIP"
    notarise "$ZIP"
    rm -f "$ZIP"
    xcrun stapler staple "$APP"
elif [ "$SIGN" = 1 ]; then
    echo "Notarisation skipped: set APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD to notarise."
else
    echo "Notarisation skipped: it needs a signed app (APPLE_SIGNING_IDENTITY) and APPLE_ID,"
    echo "APPLE_TEAM_ID and APPLE_APP_PASSWORD."
fi

# 3. The disk image: the app and a link to /Applications to drag it onto.
STAGING="$(mktemp -d)"
trap 'rm -rf "$STAGING"' EXIT
ditto "$APP" "$STAGING/Briefing.app"
ln -s /Applications "$STAGING/Applications"
rm -f "$DMG"
# hdiutil now and then fails with "Resource busy" on build machines; try again.
for attempt in 1 2 3; do
    if hdiutil create -volname "Briefing $VERSION" -srcfolder "$STAGING" -fs HFS+ \
        -format UDZO -ov "$DMG"; then
        break
    fi
    if [ "$attempt" = 3 ]; then
        echo "error: hdiutil could not create $DMG" >&2
        exit 1
    fi
    sleep 10
done

# 4. Sign, notarise and staple the disk image too.
if [ "$SIGN" = 1 ]; then
    codesign --force --timestamp --sign "$APPLE_SIGNING_IDENTITY" "$DMG"
fi
if [ "$NOTARISE" = 1 ]; then
    notarise "$DMG"
    xcrun stapler staple "$DMG"
    xcrun stapler validate "$DMG"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
fi

echo "$DMG"
