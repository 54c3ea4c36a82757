#!/usr/bin/env bash
# Creates or updates the Azure deployment with Terraform (infra/): a resource group, container
# registry, App Service plan and web app for hero-server; the Entra app registrations of the
# Heroes API and hero-client; and the identity the GitHub deploy workflow signs in with.
# Then writes hero-client's .env_oauth and sets (with gh) or prints the GitHub repository
# variables. See README, "Deploy to Azure".
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
        sed -n '2,8p' "$0"
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
trap 'rm -f "infra/$plan"' EXIT
terraform -chdir=infra init -input=false
terraform -chdir=infra plan -input=false -out="$plan"
if ! $auto_approve; then
    read -r -p "Apply this plan? Only 'yes' applies: " answer
    if [ "$answer" != yes ]; then
        echo "Nothing applied."
        exit 0
    fi
fi
terraform -chdir=infra apply -input=false "$plan"

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
    echo "Setting them with gh:"
    while IFS=$'\t' read -r name value; do
        gh variable set "$name" --repo "$repository" --body "$value" </dev/null ||
            echo "up.sh: could not set $name; set it by hand" >&2
    done <<<"$variables"
    # Create the environment when it does not exist yet, limited to the main branch. An
    # existing environment is left as it is (its protection rules are yours).
    if ! gh api "repos/$repository/environments/production" --silent >/dev/null 2>&1; then
        echo "Creating the GitHub environment 'production' (deployments from main only)"
        if gh api --method PUT "repos/$repository/environments/production" --silent --input - <<<'{"deployment_branch_policy":{"protected_branches":false,"custom_branch_policies":true}}' &&
            gh api --method POST "repos/$repository/environments/production/deployment-branch-policies" --silent -f name=main; then
            :
        else
            echo "up.sh: could not create the environment 'production'; create it by hand (Settings > Environments)" >&2
        fi
    fi
else
    echo "(gh is not installed or not signed in: set these by hand, and create the environment 'production'.)"
fi

app_url="$(terraform -chdir=infra output -raw app_url)"
cat <<EOF

Done. Next:
  1. Deploy the first image: push to main, or run the Deploy workflow by hand
     (gh workflow run deploy.yml --repo $repository). Until then the web app has no image.
  2. Check it: curl $app_url/healthz
  3. Run the local client against it: make run-client, then open http://localhost:8000/auth/login
EOF
