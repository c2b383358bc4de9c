using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;
using Jobkore.QuickBooksSandbox.Tenancy;

namespace Jobkore.QuickBooksSandbox.Inspection;

/// <summary>
/// Views of each sandbox company (issue rule 12), what "Open in QuickBooks" shows in sandbox mode:
/// JSON at <c>{base}/_sandbox/companies[/{realmId}]</c>, HTML at <c>{base}/_sandbox/companies/{realmId}/view</c>
/// and <c>{base}/_sandbox/companies/{realmId}/invoices/{id}</c>. The company page also lets its viewer change records
/// as a QuickBooks user would (<see cref="UserChangeEndpoints"/>) and, in a developer's sandbox, shows how its webhooks
/// fare. In a sandbox shared by tenants they need an admin of the tenant and show only its company; any other realm is
/// not found, as one that does not exist.
/// </summary>
internal static class InspectionEndpoints
{
    private static readonly string[] s_entities = ["Customer", "Item", "Invoice", "Payment", "Account", "Vendor", "PaymentMethod"];

    public static void Map(IEndpointRouteBuilder group)
    {
        var inspect = group.MapGroup("/_sandbox/companies");
        inspect.MapGet("/", async (HttpContext context, SandboxAccess access) =>
        {
            var visible = await access.InspectAsync(context);
            return visible.IsRefused
                ? Refused(html: false, visible.RefusalStatus)
                : Results.Json(visible.Companies.Select(c => new { realmId = c.RealmId, companyName = c.Name }));
        });
        inspect.MapGet("/{realmId}", (HttpContext context, string realmId) =>
            WithCompanyAsync(context, realmId, html: false, company => Results.Content(Snapshot(company).ToJsonString(Json.Output), "application/json")));
        inspect.MapGet("/{realmId}/view", (HttpContext context, string realmId) =>
            WithCompanyAsync(context, realmId, html: true, company => Html(CompanyPage(company, WebhookSummary(context)))));
        inspect.MapGet("/{realmId}/invoices/{id}", (HttpContext context, string realmId, string id) =>
            WithCompanyAsync(context, realmId, html: true, company => Copy(company, "Invoice", id) is { } invoice ? Html(InvoicePage(company, invoice)) : NotFound(context)));
        group.MapGet(UserActionsHtml.ScriptPath, () => Results.Text(UserActionsHtml.Script, "text/javascript; charset=utf-8"));
    }

    /// <summary>One line on where webhooks go and how they fare; null in a sandbox shared by tenants, where it would span them all.</summary>
    private static string? WebhookSummary(HttpContext context)
    {
        var services = context.RequestServices;
        if (services.GetRequiredService<SandboxAccess>().IsShared)
        {
            return null;
        }

        var outbox = services.GetRequiredService<Webhooks.WebhookOutbox>();
        var state = Webhooks.WebhookEndpoints.Describe(outbox, services.GetRequiredService<Webhooks.WebhookDeliveryLog>(),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<QuickBooksSandboxOptions>>().Value.Webhooks);
        if (!outbox.Sends)
        {
            return "Webhooks: none are sent (set QuickBooks:Webhooks:Url).";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"Webhooks to {state["url"]} ({state["format"]}): {state["delivered"]!["posts"]} POSTs delivered ({state["delivered"]!["events"]} events), "
            + $"{state["pending"]!["queuedEvents"]} events queued{(state["pending"]!["post"] is { } post ? $", a POST of {post["events"]} after {post["attempts"]} attempts" : string.Empty)}, "
            + $"{state["dropped"]!["posts"]} POSTs dropped ({state["dropped"]!["events"]} events). JSON at ../../webhooks.");
    }

    /// <summary>Answers with <paramref name="page"/> for a company this request may inspect; refused or not found otherwise.</summary>
    private static async Task<IResult> WithCompanyAsync(HttpContext context, string realmId, bool html, Func<SandboxCompany, IResult> page)
    {
        var visible = await context.RequestServices.GetRequiredService<SandboxAccess>().InspectAsync(context);
        if (visible.IsRefused)
        {
            return Refused(html, visible.RefusalStatus);
        }

        return visible.Find(realmId) is { } company ? page(company) : NotFound(context);
    }

    /// <summary>401 or 403 with a body of the sandbox's own, so the host never swaps in a page of its own.</summary>
    internal static IResult Refused(bool html, int status)
    {
        var message = status == StatusCodes.Status401Unauthorized
            ? "Sign in to the app as an admin of your business to inspect its sandbox company."
            : "Only an admin of your business can inspect its sandbox company.";
        return html
            ? Results.Content(Header("QuickBooks sandbox · inspection") + $"<h1>Not allowed</h1><p>{E(message)}</p></main></body></html>", "text/html; charset=utf-8", Encoding.UTF8, status)
            : Results.Json(new { error = status == StatusCodes.Status401Unauthorized ? "login_required" : "access_denied", error_description = message }, statusCode: status);
    }

    /// <summary>The same JSON 404 as any path the sandbox does not serve: another tenant's company looks like none at all.</summary>
    internal static IResult NotFound(HttpContext context) =>
        Faults.NoRoute(context.Request.Path).Answer(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());

    private static JsonObject Snapshot(SandboxCompany company)
    {
        lock (company.Gate)
        {
            var snapshot = new JsonObject { ["realmId"] = company.RealmId, ["companyName"] = company.Name };
            foreach (var entity in s_entities)
            {
                snapshot[entity] = new JsonArray(company.Set(entity).Values.OrderBy(r => r.Str("Id"), StringComparer.Ordinal).Select(r => (JsonNode)r.Copy()).ToArray());
            }

            return snapshot;
        }
    }

    private static JsonObject? Copy(SandboxCompany company, string entity, string id)
    {
        lock (company.Gate)
        {
            return company.Set(entity).GetValueOrDefault(id)?.Copy();
        }
    }

    private static string CompanyPage(SandboxCompany company, string? webhooks)
    {
        var data = Snapshot(company);
        var customers = data["Customer"]!.AsArray().OfType<JsonObject>().ToList();
        var html = new StringBuilder(Header($"{company.Name} · QuickBooks sandbox"));
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(company.Name)}</h1><p class=\"muted\">Realm {E(company.RealmId)} · the sandbox company; change a record as a QuickBooks user would with the controls in its row.</p>");
        if (webhooks is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{E(webhooks)}</p>");
        }

        html.Append("<p id=\"sandbox-status\" role=\"status\" aria-live=\"polite\"></p>");
        Table(html, "Customers", data["Customer"]!.AsArray(), ["Id", "DisplayName", "Active", "Balance", "SyncToken"], null, c => UserActionsHtml.Customer(c, customers));
        Table(html, "Products and services", data["Item"]!.AsArray(), ["Id", "Name", "Type", "UnitPrice", "Active"], null, UserActionsHtml.Item);
        Table(html, "Invoices", data["Invoice"]!.AsArray(), ["Id", "DocNumber", "CustomerRef", "TxnDate", "TotalAmt", "Balance", "PrivateNote"], id => $"invoices/{id}", UserActionsHtml.Invoice);
        Table(html, "Payments", data["Payment"]!.AsArray(), ["Id", "CustomerRef", "TxnDate", "TotalAmt", "UnappliedAmt", "DepositToAccountRef", "PrivateNote"], null, UserActionsHtml.Payment);
        return html.Append(CultureInfo.InvariantCulture, $"<script src=\"../../..{UserActionsHtml.ScriptPath}\"></script></main></body></html>").ToString();
    }

    private static string InvoicePage(SandboxCompany company, JsonObject invoice)
    {
        var html = new StringBuilder(Header($"Invoice {invoice.Str("DocNumber")} · QuickBooks sandbox"));
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"../view\">{E(company.Name)}</a></p><h1>Invoice {E(invoice.Str("DocNumber"))}</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Customer: <b>{E(Cell(invoice["CustomerRef"]))}</b> · Date {E(invoice.Str("TxnDate"))} · Due {E(invoice.Str("DueDate"))} · SyncToken {E(invoice.Str("SyncToken"))}</p>");
        var lines = new JsonArray((invoice["Line"] as JsonArray ?? []).Select(l => l?.DeepClone()).ToArray());
        Table(html, "Lines", lines, ["LineNum", "DetailType", "Description", "Amount"], null);
        html.Append(CultureInfo.InvariantCulture, $"<p>Tax {E(Cell((invoice["TxnTaxDetail"] as JsonObject)?["TotalTax"]))} · <b>Total {E(invoice.Str("TotalAmt"))}</b> · Balance {E(invoice.Str("Balance"))}</p>");
        if (invoice.Str("PrivateNote") is { } note)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Private note: {E(note)}</p>");
        }

        return html.Append("</main></body></html>").ToString();
    }

    private static void Table(StringBuilder html, string title, JsonArray rows, string[] columns, Func<string, string>? link, Func<JsonObject, string>? actions = null)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(title)} <span class=\"muted\">({rows.Count})</span></h2>");
        if (rows.Count == 0)
        {
            html.Append("<p class=\"muted\">None.</p>");
            return;
        }

        html.Append("<table><thead><tr>");
        foreach (var column in columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(column)}</th>");
        }

        if (actions is not null)
        {
            html.Append("<th>Change as a QuickBooks user</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows.OfType<JsonObject>())
        {
            html.Append("<tr>");
            foreach (var column in columns)
            {
                var text = E(Cell(row[column]));
                html.Append(column == "Id" && link is not null
                    ? $"<td><a href=\"{E(link(row.Str("Id")!))}\">{text}</a></td>"
                    : $"<td>{text}</td>");
            }

            if (actions is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{actions(row)}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string Cell(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonObject o when o["value"] is not null => o["name"] is null ? o["value"]!.ToString() : $"{o["name"]} ({o["value"]})",
        JsonValue v => v.ToString(),
        _ => node.ToJsonString(Json.Output),
    };

    private static string Header(string title) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title><style>"
        + "body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f8;color:#1d2433}main{max-width:1100px;margin:24px auto;background:#fff;padding:24px 32px;border-radius:12px}"
        + "table{border-collapse:collapse;width:100%;margin-bottom:16px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e6ec;font-size:.9rem}"
        + ".muted{color:#5b6475;font-weight:400}h2{font-size:1.1rem;margin-top:24px}" + UserActionsHtml.Styles + "</style></head><body><main>"
        + "<p class=\"muted\">QuickBooks sandbox · inspection</p>";

    private static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");

    private static string E(string? value) => WebUtility.HtmlEncode(value) ?? string.Empty;
}
