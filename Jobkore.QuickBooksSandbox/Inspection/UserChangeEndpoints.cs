using System.Text.Json;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;
using Jobkore.QuickBooksSandbox.Accounting.Entities;
using Jobkore.QuickBooksSandbox.Tenancy;

namespace Jobkore.QuickBooksSandbox.Inspection;

/// <summary>
/// Changes "as a QuickBooks user" (<see cref="UserEdits"/>) under <c>{base}/_sandbox/companies/{realmId}/user/</c>:
/// <c>{entity}/create</c> and <c>{entity}/{id}/update</c> (a JSON object of top-level fields), <c>{entity}/{id}/delete</c>, <c>invoice/{id}/void</c>,
/// <c>customer/{id}/merge?into={survivorId}</c>, <c>item/{id}/inactive</c> and <c>preferences/update</c> (automated sales tax
/// on or off: <c>{"TaxPrefs":{"PartnerTaxEnabled":true}}</c>); each answers the changed record as the API
/// wraps it, or QBO's fault. Whoever may inspect a company may change it, nobody else (<see cref="SandboxAccess.InspectAsync"/>).
/// Every request must say <c>Content-Type: application/json</c>: a page of another site can post a form here but not
/// JSON (without CORS), so an admin signed in to a shared sandbox cannot be made to change their books unawares.
/// </summary>
internal static class UserChangeEndpoints
{
    public static void Map(IEndpointRouteBuilder group)
    {
        var user = group.MapGroup("/_sandbox/companies/{realmId}/user");
        user.MapPost("/preferences/update", PreferencesAsync).DisableAntiforgery();
        user.MapPost("/{entity}/create", (HttpContext c, string realmId, string entity) =>
            ChangeAsync(c, realmId, entity, (edits, fields) => edits.Create(entity, fields))).DisableAntiforgery();
        user.MapPost("/{entity}/{id}/update", (HttpContext c, string realmId, string entity, string id) =>
            ChangeAsync(c, realmId, entity, (edits, fields) => edits.Update(entity, id, fields))).DisableAntiforgery();
        user.MapPost("/{entity}/{id}/delete", (HttpContext c, string realmId, string entity, string id) =>
            ChangeAsync(c, realmId, entity, (edits, _) => edits.Delete(entity, id))).DisableAntiforgery();
        user.MapPost("/invoice/{id}/void", (HttpContext c, string realmId, string id) =>
            ChangeAsync(c, realmId, "Invoice", (edits, _) => edits.Void("Invoice", id))).DisableAntiforgery();
        user.MapPost("/customer/{id}/merge", (HttpContext c, string realmId, string id, string? into) =>
            ChangeAsync(c, realmId, "Customer", (edits, _) => edits.Merge(id, string.IsNullOrWhiteSpace(into) ? throw Faults.RequiredMissing("into") : into))).DisableAntiforgery();
        user.MapPost("/item/{id}/inactive", (HttpContext c, string realmId, string id) =>
            ChangeAsync(c, realmId, "Item", (edits, _) => edits.Update("Item", id, new JsonObject { ["Active"] = false }))).DisableAntiforgery();
    }

    private static async Task<IResult> ChangeAsync(HttpContext context, string realmId, string entity, Func<UserEdits, JsonObject, JsonObject> change)
    {
        var name = EntityRules.Canonical(entity);
        var (company, refusal) = await CompanyToChangeAsync(context, realmId, EntityRules.Find(name) is not null);
        if (company is null)
        {
            return refusal!;
        }

        var services = context.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var fields = await ReadFieldsAsync(context);
        JsonObject body;
        var status = StatusCodes.Status200OK;
        lock (company.Gate)
        {
            var books = new Books(company, now);
            try
            {
                body = new JsonObject { [name] = change(new UserEdits(books), fields ?? throw Faults.Unsupported("The body must be one JSON object of the fields to set.")) };
            }
            catch (FaultException fault)
            {
                (status, body) = (fault.Status, fault.Body);
            }

            services.GetRequiredService<CompanyCommits>().Commit(company, books, null);
        }

        body["time"] = Json.Time(now);
        return Results.Content(body.ToJsonString(Json.Output), "application/json", statusCode: status);
    }

    /// <summary>
    /// The company a user's change is for, or why it is refused: the caller may not inspect it, it (or the entity,
    /// <paramref name="knownEntity"/> false) does not exist, or the change is not sent as JSON.
    /// </summary>
    private static async Task<(SandboxCompany? Company, IResult? Refusal)> CompanyToChangeAsync(HttpContext context, string realmId, bool knownEntity)
    {
        var visible = await context.RequestServices.GetRequiredService<SandboxAccess>().InspectAsync(context);
        if (visible.IsRefused)
        {
            return (null, InspectionEndpoints.Refused(html: false, visible.RefusalStatus));
        }

        if (visible.Find(realmId) is not { } company || !knownEntity)
        {
            return (null, InspectionEndpoints.NotFound(context));
        }

        return context.Request.HasJsonContentType() is false
            ? (null, Results.Json(new { error = "unsupported_media_type", error_description = "Send the change with Content-Type: application/json (an empty body, or {}, when it needs no fields)." },
                statusCode: StatusCodes.Status415UnsupportedMediaType))
            : (company, null);
    }

    /// <summary>
    /// A user switches automated sales tax on or off, or sets or clears the closing date, in the company's settings;
    /// answers the preferences as the API reads them.
    /// </summary>
    private static async Task<IResult> PreferencesAsync(HttpContext context, string realmId)
    {
        var (company, refusal) = await CompanyToChangeAsync(context, realmId, knownEntity: true);
        if (company is null)
        {
            return refusal!;
        }

        var services = context.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        JsonObject body;
        var status = StatusCodes.Status200OK;
        if (PreferencesChange.Read(await ReadFieldsAsync(context)) is { } change)
        {
            lock (company.Gate)
            {
                company.AutomatedSalesTax = change.AutomatedSalesTax ?? company.AutomatedSalesTax;
                company.BookCloseDate = change.SetsBookCloseDate ? change.BookCloseDate : company.BookCloseDate;
                services.GetRequiredService<CompanyCommits>().Commit(company, new Books(company, now), null);
                body = new JsonObject { ["Preferences"] = AccountingEndpoints.Preferences(company) };
            }
        }
        else
        {
            var fault = Faults.Business("Send the settings to change as {\"TaxPrefs\":{\"PartnerTaxEnabled\":true}} (or false) and/or "
                + "{\"AccountingInfoPrefs\":{\"BookCloseDate\":\"2026-10-31\"}} (a date as yyyy-MM-dd, or null for none): only automated sales tax and the closing date can be changed here.",
                "TaxPrefs.PartnerTaxEnabled");
            (status, body) = (fault.Status, fault.Body);
        }

        body["time"] = Json.Time(now);
        return Results.Content(body.ToJsonString(Json.Output), "application/json", statusCode: status);
    }

    /// <summary>What a user's preferences change sets: automated sales tax, the closing date, or both.</summary>
    private sealed record PreferencesChange(bool? AutomatedSalesTax, bool SetsBookCloseDate, DateOnly? BookCloseDate)
    {
        /// <summary>The change the body asks for; null when it asks for nothing, or for anything else, or sends a value of the wrong kind.</summary>
        public static PreferencesChange? Read(JsonObject? fields)
        {
            if (fields is null || fields.Count == 0 || fields.Any(f => f.Key is not ("TaxPrefs" or "AccountingInfoPrefs")))
            {
                return null;
            }

            bool? tax = null;
            if (fields["TaxPrefs"] is { } taxPrefs)
            {
                if (taxPrefs is not JsonObject { Count: 1 } t || t["PartnerTaxEnabled"] is not JsonValue value || value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return null;
                }

                tax = value.GetValue<bool>();
            }

            var setsDate = false;
            DateOnly? date = null;
            if (fields["AccountingInfoPrefs"] is { } accounting)
            {
                if (accounting is not JsonObject { Count: 1 } a || !a.ContainsKey(nameof(BookCloseDate)))
                {
                    return null;
                }

                setsDate = true;
                switch (a[nameof(BookCloseDate)])
                {
                    case null:
                        break;
                    case JsonValue text when text.GetValueKind() == JsonValueKind.String
                        && DateOnly.TryParseExact(text.GetValue<string>(), Dates.Format, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed):
                        date = parsed;
                        break;
                    default:
                        return null;
                }
            }

            return new PreferencesChange(tax, setsDate, date);
        }
    }

    /// <summary>The body as a JSON object (empty when there is none); null when it is something else.</summary>
    private static async Task<JsonObject?> ReadFieldsAsync(HttpContext context)
    {
        var text = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
