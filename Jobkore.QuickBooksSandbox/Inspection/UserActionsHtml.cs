using System.Net;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.Inspection;

/// <summary>
/// The inspection page's controls for changing a record as a QuickBooks user (<see cref="UserChangeEndpoints"/>): small
/// forms per row, each control labelled for screen readers, sent as JSON by <see cref="Script"/> (served from this
/// origin, so a host's Content-Security-Policy of 'self' lets it run).
/// </summary>
internal static class UserActionsHtml
{
    public const string ScriptPath = "/_sandbox/inspection.js";

    public const string Script = """
        (() => {
          const status = document.getElementById('sandbox-status');
          const done = sessionStorage.getItem('sandbox-status');
          if (status && done) { status.textContent = done; sessionStorage.removeItem('sandbox-status'); }
          document.addEventListener('submit', async (event) => {
            const form = event.target;
            if (!form.matches('form[data-action]')) return;
            event.preventDefault();
            let url = form.dataset.action;
            const fields = {};
            for (const input of form.querySelectorAll('input[name], select[name]')) {
              if (input.name === 'into') { url += '?into=' + encodeURIComponent(input.value); continue; }
              fields[input.name] = input.value === '' ? null : input.dataset.type === 'number' ? Number(input.value) : input.value;
            }
            status.textContent = 'Saving…';
            const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields) });
            const answer = await response.json().catch(() => null);
            if (response.ok) {
              sessionStorage.setItem('sandbox-status', form.dataset.done || 'Saved.');
              location.reload();
              return;
            }
            status.textContent = answer?.Fault?.Error?.[0]?.Detail ?? answer?.error_description ?? ('Refused (' + response.status + ').');
          });
        })();
        """;

    /// <summary>The page's styles for the controls: a focus ring anyone can see, labels only screen readers read.</summary>
    public const string Styles =
        ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}"
        + "form.act{display:inline-flex;gap:4px;margin:2px 6px 2px 0}input,select,button{font:inherit;font-size:.85rem;padding:2px 6px}"
        + "button{cursor:pointer;border:1px solid #8a93a6;border-radius:4px;background:#f7f8fb}"
        + ":focus-visible{outline:3px solid #1b5fd1;outline-offset:2px}#sandbox-status{min-height:1.2em;font-weight:600}";

    public static string Customer(JsonObject customer, IEnumerable<JsonObject> customers)
    {
        var id = customer.Str("Id")!;
        var name = customer.Str("DisplayName");
        var html = Edit($"user/customer/{id}/update", $"customer {name}", ("DisplayName", "Display name", name, false));
        if (customer.Bool("Active") == false)
        {
            return html;
        }

        html += Button($"user/customer/{id}/delete", "Make inactive", $"Make customer {name} inactive", $"Customer {name} made inactive.");
        var survivors = customers.Where(c => c.Str("Id") != id && c.Bool("Active") != false).ToList();
        if (survivors.Count > 0)
        {
            var options = string.Concat(survivors.Select(c => $"<option value=\"{E(c.Str("Id"))}\">{E(c.Str("DisplayName"))}</option>"));
            html += $"<form class=\"act\" data-action=\"{E($"user/customer/{id}/merge")}\" data-done=\"{E($"Customer {name} merged.")}\">"
                + $"<label class=\"sr-only\" for=\"merge-{E(id)}\">Merge customer {E(name)} into</label><select id=\"merge-{E(id)}\" name=\"into\">{options}</select>"
                + $"<button type=\"submit\" aria-label=\"{E($"Merge customer {name} into the customer chosen")}\">Merge into</button></form>";
        }

        return html;
    }

    public static string Item(JsonObject item)
    {
        var id = item.Str("Id")!;
        var name = item.Str("Name");
        var html = Edit($"user/item/{id}/update", $"item {name}", ("Name", "Name", name, false), ("UnitPrice", "Unit price", item.Str("UnitPrice"), true));
        return item.Bool("Active") == false ? html : html + Button($"user/item/{id}/inactive", "Make inactive", $"Make item {name} inactive", $"Item {name} made inactive.");
    }

    public static string Invoice(JsonObject invoice)
    {
        var id = invoice.Str("Id")!;
        var label = $"invoice {invoice.Str("DocNumber")}";
        return Edit($"user/invoice/{id}/update", label, ("PrivateNote", "Private note", invoice.Str("PrivateNote"), false))
            + Button($"user/invoice/{id}/void", "Void", $"Void {label}", $"Invoice {invoice.Str("DocNumber")} voided.")
            + Button($"user/invoice/{id}/delete", "Delete", $"Delete {label}", $"Invoice {invoice.Str("DocNumber")} deleted.");
    }

    public static string Payment(JsonObject payment)
    {
        var id = payment.Str("Id")!;
        return Edit($"user/payment/{id}/update", $"payment {id}", ("PrivateNote", "Private note", payment.Str("PrivateNote"), false))
            + Button($"user/payment/{id}/delete", "Delete", $"Delete payment {id}", $"Payment {id} deleted.");
    }

    private static string Edit(string action, string record, params (string Field, string Label, string? Value, bool Number)[] fields)
    {
        var key = action.Replace('/', '-');
        var inputs = string.Concat(fields.Select(f =>
            $"<label class=\"sr-only\" for=\"{E(key + f.Field)}\">{E(f.Label)} of {E(record)}</label>"
            + $"<input id=\"{E(key + f.Field)}\" name=\"{E(f.Field)}\" value=\"{E(f.Value)}\"{(f.Number ? " inputmode=\"decimal\" data-type=\"number\" size=\"6\"" : " size=\"18\"")}>"));
        return $"<form class=\"act\" data-action=\"{E(action)}\" data-done=\"{E($"Saved {record}.")}\">{inputs}"
            + $"<button type=\"submit\" aria-label=\"{E($"Save {record}")}\">Save</button></form>";
    }

    private static string Button(string action, string text, string label, string done) =>
        $"<form class=\"act\" data-action=\"{E(action)}\" data-done=\"{E(done)}\"><button type=\"submit\" aria-label=\"{E(label)}\">{E(text)}</button></form>";

    private static string E(string? value) => WebUtility.HtmlEncode(value) ?? string.Empty;
}
