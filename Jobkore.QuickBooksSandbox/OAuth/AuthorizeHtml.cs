using System.Globalization;
using System.Net;
using System.Text;

namespace Jobkore.QuickBooksSandbox.OAuth;

/// <summary>The consent page a person sees at Intuit, in the sandbox's own plain HTML.</summary>
internal static class AuthorizeHtml
{
    private const string Style = """
        <style>
          body { font-family: system-ui, sans-serif; background: #f4f5f8; color: #1d2433; margin: 0; }
          main { max-width: 520px; margin: 48px auto; background: #fff; border-radius: 12px; padding: 32px; box-shadow: 0 2px 8px rgba(0,0,0,.12); }
          h1 { font-size: 1.4rem; margin: 0 0 4px; } .muted { color: #5b6475; font-size: .9rem; }
          .badge { display: inline-block; background: #1e7b12; color: #fff; border-radius: 4px; padding: 2px 8px; font-size: .75rem; font-weight: 600; }
          fieldset { border: 1px solid #dfe3ea; border-radius: 8px; margin: 16px 0; padding: 12px 16px; }
          label { display: block; padding: 6px 0; } ul { padding-left: 20px; }
          .actions { display: flex; gap: 12px; justify-content: flex-end; margin-top: 20px; }
          button { font-size: 1rem; padding: 10px 20px; border-radius: 6px; border: 1px solid #1e7b12; cursor: pointer; }
          button.primary { background: #1e7b12; color: #fff; } button.secondary { background: #fff; color: #1e7b12; }
          button:focus-visible, input:focus-visible { outline: 3px solid #1f5fbf; outline-offset: 2px; }
        </style>
        """;

    public static string Render(string appName, string clientId, SandboxUser user, string scope, IReadOnlyList<SandboxCompany> companies, string redirectUri, string state, string basePath)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Connect {E(appName)} to QuickBooks (sandbox)</title>{Style}</head><body><main>");
        html.Append("<span class=\"badge\">QuickBooks sandbox</span>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Connect {E(appName)} to QuickBooks</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Signed in as {E(user.GivenName)} {E(user.FamilyName)} ({E(user.Email)})</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p><b>{E(appName)}</b> wants to:</p><ul>");
        foreach (var s in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{E(Describe(s))}</li>");
        }

        html.Append("</ul>");
        html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{E(basePath)}/connect/oauth2\">");
        html.Append("<fieldset><legend>Choose the company to connect</legend>");
        for (var i = 0; i < companies.Count; i++)
        {
            var c = companies[i];
            html.Append(CultureInfo.InvariantCulture, $"<label><input type=\"radio\" name=\"realmId\" value=\"{E(c.RealmId)}\"{(i == 0 ? " checked" : string.Empty)}> {E(c.Name)}</label>");
        }

        html.Append("</fieldset>");
        foreach (var (name, value) in new[] { ("client_id", clientId), ("redirect_uri", redirectUri), ("state", state), ("scope", scope) })
        {
            html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{name}\" value=\"{E(value)}\">");
        }

        html.Append("<div class=\"actions\"><button class=\"secondary\" type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>");
        html.Append("<button class=\"primary\" type=\"submit\" name=\"decision\" value=\"connect\">Connect</button></div>");
        html.Append("</form></main></body></html>");
        return html.ToString();
    }

    public static string Error(string error, string message) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>QuickBooks sandbox: {WebUtility.HtmlEncode(error)}</title>{Style}</head><body><main>"
        + $"<span class=\"badge\">QuickBooks sandbox</span><h1>We could not connect the app</h1><p>{WebUtility.HtmlEncode(message)}</p><p class=\"muted\">Error: {WebUtility.HtmlEncode(error)}</p></main></body></html>";

    private static string E(string? value) => WebUtility.HtmlEncode(value) ?? string.Empty;

    private static string Describe(string scope) => scope switch
    {
        OAuthEndpoints.AccountingScope => "Read and write your accounting data (customers, items, invoices, payments)",
        "com.intuit.quickbooks.payment" => "Process payments",
        "openid" => "Know who you are",
        "profile" => "See your name",
        "email" => "See your email address",
        _ => scope,
    };
}
