using System.Text.Json;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting.Entities;
using Jobkore.QuickBooksSandbox.Queries;
using Microsoft.AspNetCore.Http.Extensions;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// The Accounting API under <c>/v3/company/{realmId}/…</c> (docs/quickbooks-api.md §2): reads, writes with <c>requestid</c> replay,
/// void and delete operations, query (GET ?query= and POST application/text), batch, change data capture, CompanyInfo
/// and Preferences.
/// Every answer is wrapped as QBO wraps it and carries a <c>time</c>.
/// </summary>
internal static class AccountingEndpoints
{
    public const int MaxBatchItems = 30;

    public static void Map(IEndpointRouteBuilder group)
    {
        var company = group.MapGroup("/v3/company/{realmId}");
        company.MapGet("/query", (HttpContext c, string realmId, string? query) => Run(c, realmId, null, (books, co) => Query(co, query)));
        company.MapPost("/query", async (HttpContext c, string realmId) =>
        {
            var statement = await ReadTextAsync(c);
            return await Run(c, realmId, null, (books, co) => Query(co, statement));
        }).DisableAntiforgery();
        company.MapGet("/companyinfo/{id}", (HttpContext c, string realmId, string id) => Run(c, realmId, null, (books, co) => Wrap("CompanyInfo", books.Read("CompanyInfo", "1"))));
        company.MapGet("/cdc", (HttpContext c, string realmId, string? entities, string? changedSince) =>
            Run(c, realmId, null, (books, co) => ChangeDataCapture.Answer(co, entities, changedSince, books.Now)));
        company.MapGet("/preferences", (HttpContext c, string realmId) => Run(c, realmId, null, (books, co) => Wrap("Preferences", Preferences(co))));
        company.MapPost("/batch", async (HttpContext c, string realmId, string? requestid) =>
        {
            var body = await ReadBodyAsync(c);
            return await Run(c, realmId, requestid, (books, co) => Batch(books, co, body ?? throw InvalidJson()), isBatch: true);
        }).DisableAntiforgery();
        company.MapGet("/{entity}/{id}", (HttpContext c, string realmId, string entity, string id) =>
            EntityRules.Readable.Contains(entity) ? Run(c, realmId, null, (books, co) => Wrap(EntityRules.Canonical(entity), books.Read(entity, id))) : UnknownPath(c, realmId));
        company.MapPost("/{entity}", async (HttpContext c, string realmId, string entity, string? operation, string? include, string? requestid) =>
        {
            if (!EntityRules.Readable.Contains(entity))
            {
                return await UnknownPath(c, realmId);
            }

            var body = await ReadBodyAsync(c);
            return await Run(c, realmId, requestid, (books, co) => Write(books, entity, operation, include, body ?? throw InvalidJson()));
        }).DisableAntiforgery();

        // Any other path or method under the company (e.g. /invoice/1/pdf): a catch-all, so every route above wins.
        company.Map("/{**rest}", (HttpContext c, string realmId) => UnknownPath(c, realmId)).DisableAntiforgery();
    }

    /// <summary>QBO's 400 for a path it has no resource for, after the token is checked as for every API call.</summary>
    private static Task<IResult> UnknownPath(HttpContext context, string realmId)
    {
        var relative = context.Request.Path.Value![SandboxPaths.BasePath(context).Length..];
        return Run(context, realmId, null, (_, _) => throw Faults.UnknownResource(relative, context.Request.GetDisplayUrl()));
    }

    private static async Task<IResult> Run(HttpContext context, string realmId, string? requestId, Func<Books, SandboxCompany, JsonObject> action, bool isBatch = false)
    {
        var services = context.RequestServices;
        var state = services.GetRequiredService<SandboxState>();
        var time = services.GetRequiredService<TimeProvider>();
        var faults = services.GetRequiredService<FaultInjection.SandboxFaults>().Decide(realmId);
        if (faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(faults.Latency, time, context.RequestAborted);
        }

        var now = time.GetUtcNow();
        try
        {
            SandboxCompany company;
            lock (state.OAuthGate)
            {
                company = Authorize(context, state, realmId, now);
            }

            var limits = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<QuickBooksSandboxOptions>>().Value.Limits;
            if (faults.ServerError)
            {
                throw Faults.ServerError();
            }

            if (faults.Throttle || (limits.Enabled && !company.Limits.TryEnter(limits, isBatch, now)))
            {
                throw Faults.Throttled();
            }

            try
            {
                var result = Handle(company, requestId, action, now, services.GetRequiredService<CompanyCommits>());
                if (faults.DropAfterCommit && IsWrite(context))
                {
                    // The write is stored (and its requestid answer kept); the caller never hears back.
                    context.Abort();
                }

                return result;
            }
            finally
            {
                if (limits.Enabled && !faults.Throttle)
                {
                    company.Limits.Leave();
                }
            }
        }
        catch (FaultException fault)
        {
            return fault.Answer(now);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug of the sandbox's: still answered as QBO answers its own failures, not with an empty 500.
            return Faults.SystemFailure(e.GetType().Name).Answer(now);
        }
    }

    private static IResult Handle(SandboxCompany company, string? requestId, Func<Books, SandboxCompany, JsonObject> action, DateTimeOffset now, CompanyCommits commits)
    {
        lock (company.Gate)
        {
            // requestid (docs/quickbooks-api.md §2): the same id for the same company gets the original answer, and nothing is done twice.
            if (requestId is not null && company.Replays.TryGetValue(requestId, out var replay))
            {
                return Results.Content(replay.Body, "application/json", statusCode: replay.Status);
            }

            int status;
            JsonObject body;
            var books = new Books(company, now, closedPeriodRefused: true);
            try
            {
                body = action(books, company);
                status = 200;
            }
            catch (FaultException fault)
            {
                (status, body) = (fault.Status, fault.Body);
            }

            body["time"] = Json.Time(now);
            var text = body.ToJsonString(Json.Output);
            if (requestId is not null)
            {
                company.Replays[requestId] = (status, text);
            }

            // Saved before answering: what the app is told was written survives a restart.
            commits.Commit(company, books, requestId);
            return Results.Content(text, "application/json", statusCode: status);
        }
    }

    private static SandboxCompany Authorize(HttpContext context, SandboxState state, string realmId, DateTimeOffset now)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length < 20)
        {
            throw Faults.Unauthorized("Malformed bearer token: too short or too long");
        }

        if (!state.AccessTokens.TryGetValue(header[7..], out var token) || token.Grant.Revoked || token.ExpiresAt <= now)
        {
            throw Faults.Unauthorized("Token expired or revoked");
        }

        return token.Grant.RealmId == realmId && state.Companies.TryGetValue(realmId, out var company) ? company : throw Faults.Forbidden();
    }

    private static JsonObject Write(Books books, string entity, string? operation, string? include, JsonObject body)
    {
        if (!EntityRules.Readable.Contains(entity))
        {
            throw UnknownEntity(entity);
        }

        var name = EntityRules.Canonical(entity);
        var rules = EntityRules.Find(name);
        var includes = (include ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var allowDuplicate = includes.Contains("allowduplicatedocnum", StringComparer.OrdinalIgnoreCase);
        return (operation?.ToLowerInvariant(), rules?.VoidBy) switch
        {
            ("void", VoidRequest.VoidOperation) => Wrap(name, books.Void(rules!, body)),
            ("update", VoidRequest.UpdateIncludingVoid) when includes.Contains("void", StringComparer.OrdinalIgnoreCase) => Wrap(name, books.Void(rules!, body)),
            ("delete", _) => Wrap(name, books.Delete(name, body)),
            (null or "update", _) when rules is null => throw Faults.Unsupported($"Operation is not supported for {name} in this sandbox."),
            (null or "update", _) when body.Str("Id") is not null => Wrap(name, books.Update(name, body, allowDuplicate)),
            (null or "create", _) => Wrap(name, books.Create(name, body, allowDuplicate)),
            _ => throw Faults.Unsupported($"Operation {operation} is not supported for {name}."),
        };
    }

    private static JsonObject Query(SandboxCompany company, string? statement)
    {
        if (string.IsNullOrWhiteSpace(statement))
        {
            throw Faults.QueryParse("The query is empty.");
        }

        return new JsonObject { ["QueryResponse"] = QueryEngine.Run(statement, company.Set) };
    }

    /// <summary>Writes commit something; a query (GET, or POST with the statement as body) does not.</summary>
    private static bool IsWrite(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Value?.EndsWith("/query", StringComparison.OrdinalIgnoreCase) != true;

    /// <summary>Batch (docs/quickbooks-api.md §2): ≤ 30 items with unique bIds; each item's fault is its own, never the whole call's.</summary>
    private static JsonObject Batch(Books books, SandboxCompany company, JsonObject body)
    {
        if (body["BatchItemRequest"] is not JsonArray items || items.Count == 0)
        {
            throw Faults.RequiredMissing("BatchItemRequest");
        }

        if (items.Count > MaxBatchItems)
        {
            throw Faults.Validation("1000", "Number of items in batch request exceeded", $"Number of Items in Batch Request exceeded the permissible limit of {MaxBatchItems} items", "BatchItemRequest");
        }

        var ids = items.OfType<JsonObject>().Select(i => i.Str("bId")).ToList();
        if (ids.Any(string.IsNullOrEmpty) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            throw Faults.Validation("1001", "Invalid batch request", "Every batch item needs a bId, unique within the batch.", "bId");
        }

        var results = new JsonArray();
        foreach (var item in items.OfType<JsonObject>())
        {
            var result = new JsonObject { ["bId"] = item.Str("bId") };
            try
            {
                if (item.Str("Query") is { } statement)
                {
                    result["QueryResponse"] = QueryEngine.Run(statement, company.Set);
                }
                else
                {
                    var (entity, payload) = item.Where(p => p.Key is not ("bId" or "operation" or "optionsData") && p.Value is JsonObject)
                        .Select(p => (p.Key, (JsonObject)p.Value!)).FirstOrDefault();
                    if (entity is null)
                    {
                        throw Faults.RequiredMissing("entity");
                    }

                    var operation = item.Str("operation");
                    var options = item.Str("optionsData");
                    var response = Write(books, entity, options == "void" ? (entity.Equals("Payment", StringComparison.OrdinalIgnoreCase) ? "update" : "void") : operation,
                        options == "void" ? "void" : options, payload);
                    foreach (var (key, value) in response)
                    {
                        result[key] = value?.DeepClone();
                    }
                }
            }
            catch (FaultException fault)
            {
                result["Fault"] = fault.Body["Fault"]?.DeepClone();
            }

            results.Add(result);
        }

        return new JsonObject { ["BatchItemResponse"] = results };
    }

    internal static JsonObject Preferences(SandboxCompany company) => new()
    {
        ["SalesFormsPrefs"] = new JsonObject { ["CustomTxnNumbers"] = true, ["AllowDiscount"] = true, ["DefaultTerms"] = Json.Ref("3", "Net 30") },
        ["TaxPrefs"] = new JsonObject { ["UsingSalesTax"] = true, ["PartnerTaxEnabled"] = company.AutomatedSalesTax },
        ["AccountingInfoPrefs"] = company.BookCloseDate is { } closed
            ? new JsonObject { ["TrackDepartments"] = false, ["ClassTrackingPerTxn"] = false, ["BookCloseDate"] = Dates.Text(closed) }
            : new JsonObject { ["TrackDepartments"] = false, ["ClassTrackingPerTxn"] = false },
        ["CurrencyPrefs"] = new JsonObject { ["MultiCurrencyEnabled"] = false, ["HomeCurrency"] = Json.Ref("USD", null) },
        ["OtherPrefs"] = new JsonObject { ["NameValue"] = new JsonArray(new JsonObject { ["Name"] = "WarnDuplicateDocNum", ["Value"] = company.DuplicateDocNumberCheck ? "true" : "false" }) },
        ["Id"] = "1",
        ["SyncToken"] = "0",
        ["domain"] = "QBO",
        ["sparse"] = false,
    };

    private static JsonObject Wrap(string entity, JsonObject record) => new() { [entity] = record };

    /// <summary>A batch item for an entity the sandbox does not keep (the routes answer <see cref="UnknownPath"/> instead).</summary>
    private static FaultException UnknownEntity(string entity) =>
        Faults.Unsupported($"Operation Could not find resource for relative : /v3/company/{entity} of full path is not supported.");

    /// <summary>The request body as JSON, or null when it is not a JSON object.</summary>
    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await RequestBody.ReadAsync(context.Request, async body =>
                await JsonSerializer.DeserializeAsync<JsonNode>(body, cancellationToken: context.RequestAborted) as JsonObject, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The request body as text (a query statement), or null when its compression is broken.</summary>
    private static async Task<string?> ReadTextAsync(HttpContext context)
    {
        try
        {
            return await RequestBody.ReadAsync(context.Request, async body =>
            {
                using var reader = new StreamReader(body, leaveOpen: true);
                return await reader.ReadToEndAsync(context.RequestAborted);
            }, context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static FaultException InvalidJson() => Faults.Unsupported("Request has invalid or unsupported JSON: send one entity object as the body.");
}
