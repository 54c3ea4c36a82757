#!/usr/bin/env bash
# Creates or updates the Azure deployment with Terraform (infra/): a resource group, container
# registry, App Service plan and web app for hero-server, and its PostgreSQL server; the Entra
# app registrations of the Heroes API and hero-client; and the identity the GitHub deploy
# workflow signs in with. The Terraform state lives in a storage account that up.sh creates
# first when it is missing (infra/state-backend.sh). Then makes the web app's identity a
# database role, writes hero-client's .env_oauth, and sets (with gh) the GitHub repository
# variables and the `production` environment limited to main, or prints what to set.
# See README, "Deploy to Azure".
#
# Usage: ./up.sh [--yes]    (--yes applies the plan without asking)
set -euo pipefail
cd "$(dirname "$0")"

fail() {
    echo "up.sh: $*" >&2
    exit 1
}

auto_approve=false
case "${1:-}" in
    "") ;;
    -y | --yes) auto_approve=true ;;
    -h | --help)
        sed -n '2,11p' "$0"
        exit 0
        ;;
    *)
        echo "up.sh: unknown argument '$1' (usage: ./up.sh [--yes])" >&2
        exit 2
        ;;
esac

command -v terraform >/dev/null 2>&1 ||
    fail "terraform is not installed (https://developer.hashicorp.com/terraform/install)"
command -v az >/dev/null 2>&1 ||
    fail "the Azure CLI is not installed (https://learn.microsoft.com/cli/azure/install-azure-cli)"
[ -f infra/terraform.tfvars ] ||
    fail "infra/terraform.tfvars is missing: copy infra/terraform.tfvars.example to infra/terraform.tfvars and fill in tenant_id, subscription_id and github_repository"
az account show --output none 2>/dev/null ||
    fail "not signed in to Azure: run 'az login --tenant <your tenant id>' first"
$auto_approve || [ -t 0 ] ||
    fail "standard input is not a terminal, so the plan cannot be confirmed: rerun as './up.sh --yes' to apply without asking"

# Plan into a file and apply exactly that plan: what you approve is what happens.
plan=hvalfangst.tfplan
# What to undo on the way out, however up.sh ends: the plan file, and the temporary firewall
# rule of the database step below (set once that rule exists).
temporary_rule=()
cleanup() {
    rm -f "infra/$plan"
    if [ "${#temporary_rule[@]}" -gt 0 ]; then
        echo "Removing the temporary firewall rule for this machine"
        az postgres flexible-server firewall-rule delete "${temporary_rule[@]}" --yes --output none ||
            echo "up.sh: could not remove the firewall rule; delete it by hand: az postgres flexible-server firewall-rule delete ${temporary_rule[*]}" >&2
    fi
}
trap cleanup EXIT

# The state's storage account first (created when missing), then Terraform on it. A state
# left in a local file by an earlier up.sh is copied into it once.
# shellcheck source=infra/state-backend.sh
. infra/state-backend.sh
state_backend_names
state_backend_ensure
if [ -s infra/terraform.tfstate ]; then
    echo "Moving the local Terraform state (infra/terraform.tfstate) into $state_account"
    state_backend_init -migrate-state -force-copy
    echo "The state is now in $state_account. Delete infra/terraform.tfstate* (they hold the client secret)."
else
    state_backend_init
fi
terraform -chdir=infra plan -input=false -out="$plan"
if ! $auto_approve; then
    read -r -p "Apply this plan? Only 'yes' applies: " answer
    if [ "$answer" != yes ]; then
        echo "Nothing applied."
        exit 0
    fi
fi
terraform -chdir=infra apply -input=false "$plan"

# A field of a JSON object, with jq or, without it, Python.
json_field() {
    if command -v jq >/dev/null 2>&1; then
        jq -r --arg key "$2" '.[$key]' <<<"$1"
    else
        python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2" <<<"$1"
    fi
}

# The web app's identity as a database role (storage = "postgres"; the output is null with
# SQLite). Terraform cannot do this: roles live inside PostgreSQL, and only an Entra
# administrator may create one for an Entra identity. So, as the administrator (you, or a
# member of the group named in postgres_admin_group), with your Entra token as the password:
postgres="$(terraform -chdir=infra output -json postgres)"
if [ "$postgres" != null ]; then
    command -v psql >/dev/null 2>&1 ||
        fail "psql is not installed (Debian and Ubuntu: apt-get install postgresql-client; macOS: brew install libpq); install it and run ./up.sh again to create the web app's database role"
    server_name="$(json_field "$postgres" server_name)"
    resource_group="$(json_field "$postgres" resource_group)"
    export PGHOST PGUSER PGPASSWORD PGPORT=5432 PGSSLMODE=require PGCONNECT_TIMEOUT=10
    PGHOST="$(json_field "$postgres" server_fqdn)"
    PGUSER="$(json_field "$postgres" admin_name)"
    database="$(json_field "$postgres" database)"
    app_role="$(json_field "$postgres" app_role)"
    app_principal_id="$(json_field "$postgres" app_principal_id)"

    # The server admits Azure services only (infra/postgres.tf): let this machine in for the
    # next minute, by its public address (set UP_CLIENT_IP to give it yourself).
    client_ip="${UP_CLIENT_IP:-$(curl -fsS --max-time 10 https://api.ipify.org || true)}"
    [[ "$client_ip" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
        fail "could not find this machine's public IPv4 address; set UP_CLIENT_IP=<address> and run ./up.sh again"
    rule=(--resource-group "$resource_group" --name "$server_name" --rule-name "up-sh-temporary")
    echo "Letting $client_ip into $server_name for the database step"
    az postgres flexible-server firewall-rule create "${rule[@]}" \
        --start-ip-address "$client_ip" --end-ip-address "$client_ip" --output none
    temporary_rule=("${rule[@]}")

    # An Entra access token for Azure Database for PostgreSQL is the password (about an hour).
    PGPASSWORD="$(az account get-access-token --resource-type oss-rdbms --query accessToken --output tsv)"

    # A new firewall rule takes a little while to apply.
    for attempt in 1 2 3 4 5 6; do
        psql -X -q -d postgres -c 'select 1' >/dev/null 2>&1 && break
        [ "$attempt" -lt 6 ] || fail "cannot sign in to $PGHOST as $PGUSER (is the firewall rule applied, and are you the Entra administrator or a member of its group?)"
        sleep 10
    done

    # 1. The role, under the identity's name (the user name in HVALFANGST_DATABASE_URL),
    #    bound to the identity's principal (object) id: a 'service' principal, neither an
    #    administrator nor bound to MFA. Only if it does not exist yet, so up.sh can run again.
    echo "Database role $app_role for the web app's identity"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -v role="$app_role" -v oid="$app_principal_id" <<'SQL'
select exists (select 1 from pg_roles where rolname = :'role') as role_exists \gset
\if :role_exists
\echo 'exists already'
\else
select * from pgaadauth_create_principal_with_oid(:'role', :'oid', 'service', false, false);
\endif
SQL

    # 2. What the app needs in its database, and no more: to connect, and to use and create
    #    objects in the schema public. CREATE because hero-server runs its own migrations at
    #    start and creates its tables; it then owns those tables and nothing else (no other
    #    schema, no other database, no role rights). PostgreSQL 15 and later no longer give
    #    everyone CREATE on public, hence the grant. GRANT is idempotent.
    psql -X -q -v ON_ERROR_STOP=1 -d "$database" -v role="$app_role" -v database="$database" <<'SQL'
grant connect on database :"database" to :"role";
grant usage, create on schema public to :"role";
SQL
    unset PGPASSWORD
fi

# The local hero-client, pointed at the deployed API and the real tenant.
infra/write-env-oauth.sh

# The GitHub side: the repository variables deploy.yml reads, and its `production` environment.
repository="$(terraform -chdir=infra output -raw github_repository)"
variables_json="$(terraform -chdir=infra output -json github_repository_variables)"
if command -v jq >/dev/null 2>&1; then
    variables="$(jq -r 'to_entries[] | "\(.key)\t\(.value)"' <<<"$variables_json")"
else
    variables="$(python3 -c '
import json, sys
for name, value in json.load(sys.stdin).items():
    print(f"{name}\t{value}")' <<<"$variables_json")"
fi

echo
echo "GitHub repository variables for $repository (Settings > Secrets and variables > Actions > Variables):"
while IFS=$'\t' read -r name value; do
    printf '  %-26s %s\n' "$name" "$value"
done <<<"$variables"

if command -v gh >/dev/null 2>&1 && gh auth status >/dev/null 2>&1; then
    # The environment `production`, limited to main, before anything is deployed: the
    # federated credential trusts only jobs in it, and deploy.yml stops unless its rule is
    # exactly the branch main. Created when missing; an existing one is left as it is (its
    # protection rules are yours), with a warning when its rule is not that.
    if ! gh api "repos/$repository/environments/production" --silent >/dev/null 2>&1; then
        echo "Creating the GitHub environment 'production' (deployments from main only)"
        gh api --method PUT "repos/$repository/environments/production" --silent --input - <<<'{"deployment_branch_policy":{"protected_branches":false,"custom_branch_policies":true}}' &&
            gh api --method POST "repos/$repository/environments/production/deployment-branch-policies" --silent -f name=main -f type=branch ||
            echo "up.sh: could not create the environment 'production' with its branch rule. On GitHub Free, private repositories have no environment rules: see README, \"Deploy to Azure\". Otherwise create it by hand (Settings > Environments: production, Deployment branches: Selected branches, main)." >&2
    fi
    branches="$(gh api "repos/$repository/environments/production/deployment-branch-policies" --jq '[.branch_policies[] | "\(.type // "branch"):\(.name)"] | join(",")' 2>/dev/null || true)"
    if [ "$branches" != "branch:main" ]; then
        echo "up.sh: the environment 'production' does not limit deployments to exactly the branch main (it allows '${branches:-any branch}'); the Deploy workflow will stop until it does (Settings > Environments > production > Deployment branches)." >&2
    fi
    # The variables last: with them the Deploy workflow can run, and the environment is there.
    echo "Setting the repository variables with gh:"
    while IFS=$'\t' read -r name value; do
        gh variable set "$name" --repo "$repository" --body "$value" </dev/null ||
            echo "up.sh: could not set $name; set it by hand" >&2
    done <<<"$variables"
else
    echo "(gh is not installed or not signed in: set these by hand, and create the environment 'production' limited to the branch main: Settings > Environments. The Deploy workflow stops until both exist.)"
fi

app_url="$(terraform -chdir=infra output -raw app_url)"
cat <<EOF

Done. Next:
  1. Deploy the first image: push to main, or run the Deploy workflow by hand
     (gh workflow run deploy.yml --repo $repository). Until then the web app has no image.
  2. Check it: curl $app_url/healthz
  3. Run the local client against it: make run-client, then open http://localhost:8000/auth/login
EOF
