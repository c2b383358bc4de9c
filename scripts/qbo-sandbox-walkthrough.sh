#!/usr/bin/env bash
# Walks the built-in QuickBooks sandbox the way an app does, with curl: authorize → token → CompanyInfo →
# create Customer → duplicate Customer (6240) → query with an escaped apostrophe → refresh → revoke → 401.
# Usage: scripts/qbo-sandbox-walkthrough.sh [sandbox base URL] [app origin for the redirect URI]
set -euo pipefail
base="${1:-http://localhost:5131/qbo-sandbox}"
origin="${2:-$(echo "$base" | sed -E 's#^(https?://[^/]+).*#\1#')}"
client_id="jobkore-demo-client"
client_secret="jobkore-demo-secret"
redirect="$origin/integrations/quickbooks/callback"
basic="$(printf '%s:%s' "$client_id" "$client_secret" | base64 -w0)"
step() { printf '\n== %s\n' "$*"; }

step "Discovery: $base/.well-known/openid_sandbox_configuration"
curl -sS "$base/.well-known/openid_sandbox_configuration"; echo

step "Authorize: the consent page lists the companies"
curl -sS "$base/connect/oauth2?client_id=$client_id&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$redirect")&state=walkthrough" \
  | grep -o 'name="realmId" value="[0-9]*"[^>]*> [^<]*' | sed 's/name="realmId" value=//'
location="$(curl -sS -o /dev/null -w '%{redirect_url}' --data-urlencode "client_id=$client_id" --data-urlencode "redirect_uri=$redirect" \
  --data-urlencode "state=walkthrough" --data-urlencode "scope=com.intuit.quickbooks.accounting" --data-urlencode "realmId=9341452713218474" \
  --data-urlencode "decision=connect" "$base/connect/oauth2")"
echo "Connect → $location"
code="$(echo "$location" | sed -E 's/.*[?&]code=([^&]*).*/\1/')"
realm="$(echo "$location" | sed -E 's/.*[?&]realmId=([^&]*).*/\1/')"

step "Token: exchange the code"
tokens="$(curl -sS -H "Authorization: Basic $basic" -H 'Accept: application/json' --data-urlencode grant_type=authorization_code \
  --data-urlencode "code=$code" --data-urlencode "redirect_uri=$redirect" "$base/oauth2/v1/tokens/bearer")"
echo "$tokens" | python3 -c 'import json,sys; t=json.load(sys.stdin); print({k:(v[:6]+"…" if k in ("access_token","refresh_token") else v) for k,v in t.items()})'
access="$(echo "$tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
refresh="$(echo "$tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])')"
api="$base/v3/company/$realm"
auth=(-H "Authorization: Bearer $access" -H 'Accept: application/json')

step "CompanyInfo"
curl -sS "${auth[@]}" "$api/companyinfo/$realm?minorversion=75" | python3 -c 'import json,sys; c=json.load(sys.stdin)["CompanyInfo"]; print(c["CompanyName"])'

step "Create Customer \"Dana's Diner\""
curl -sS -D /tmp/qbo-headers "${auth[@]}" -H 'Content-Type: application/json' -d "{\"DisplayName\":\"Dana's Diner\"}" "$api/customer?minorversion=75&requestid=walk-1"; echo
grep -i intuit_tid /tmp/qbo-headers

step "Create it again under another requestid: duplicate name"
curl -sS -w '  → HTTP %{http_code}\n' "${auth[@]}" -H 'Content-Type: application/json' -d "{\"DisplayName\":\"Dana's Diner\"}" "$api/customer?minorversion=75&requestid=walk-2"

step "Query with an escaped apostrophe"
query="SELECT * FROM Customer WHERE DisplayName = 'Dana\\'s Diner'"
echo "$query"
curl -sS -G "${auth[@]}" --data-urlencode "query=$query" --data-urlencode minorversion=75 "$api/query"; echo

step "Refresh"
refreshed="$(curl -sS -H "Authorization: Basic $basic" -H 'Accept: application/json' --data-urlencode grant_type=refresh_token --data-urlencode "refresh_token=$refresh" "$base/oauth2/v1/tokens/bearer")"
access="$(echo "$refreshed" | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["access_token"])')"
new_refresh="$(echo "$refreshed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])')"
[ "$new_refresh" != "$refresh" ] && echo "new refresh token issued (rotated)"
curl -sS -o /dev/null -w 'CompanyInfo with the new access token → HTTP %{http_code}\n' -H "Authorization: Bearer $access" -H 'Accept: application/json' "$api/companyinfo/$realm?minorversion=75"

step "Revoke"
curl -sS -o /dev/null -w 'revoke → HTTP %{http_code}\n' -H "Authorization: Basic $basic" -H 'Content-Type: application/json' -H 'Accept: application/json' -d "{\"token\":\"$new_refresh\"}" "$base/v2/oauth2/tokens/revoke"

step "The revoked grant's access token"
curl -sS -w '  → HTTP %{http_code}\n' -H "Authorization: Bearer $access" -H 'Accept: application/json' "$api/companyinfo/$realm?minorversion=75"
