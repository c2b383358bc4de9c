using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.QuickBooks.Queries;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// Typed client for the QBO Accounting API v3 (docs/quickbooks-api.md §2). Every call sends <c>minorversion=75</c> and
/// <c>Accept: application/json</c>; every write sends the caller's stable <c>requestid</c>, so a retry is replayed by
/// QBO instead of creating a second record. Faults of either envelope become <see cref="QuickBooksException"/>
/// carrying <c>intuit_tid</c>. A 401 gets one fresh access token and one more try. Bodies and tokens are never logged.
/// Each request waits for its company's limits in the resilience pipeline (<see cref="QboResilience"/>), unless the caller
/// carried in a slot it already holds (<see cref="QboSlot.Carry"/>).
/// </summary>
public sealed partial class QboApiClient(HttpClient http, IQboAccessTokens tokens, ILogger<QboApiClient> logger)
{
    public const int MinorVersion = 75;

    /// <summary>QBO's limit for a requestid (docs/quickbooks-api.md §2 "requestid"); a batch's is shorter so requestid + bId fits.</summary>
    public const int MaxRequestIdLength = 50;
    public const int MaxBatchRequestIdLength = 36;

    public Task<QboResponse> ReadAsync(QboCompany company, string entity, string id, CancellationToken cancellationToken) =>
        SendAsync<QboResponse>(company, HttpMethod.Get, $"{EntityPath(entity)}/{Uri.EscapeDataString(id)}", null, null, cancellationToken);

    public Task<QboResponse> GetCompanyInfoAsync(QboCompany company, CancellationToken cancellationToken) =>
        ReadAsync(company, "CompanyInfo", company.RealmId, cancellationToken);

    /// <summary>Creates an entity; <paramref name="requestId"/> must be saved before the call and reused on every retry of it.</summary>
    public Task<QboResponse> CreateAsync<TEntity>(QboCompany company, string entity, TEntity body, string requestId, CancellationToken cancellationToken)
        where TEntity : QboEntity =>
        SendAsync<QboResponse>(company, HttpMethod.Post, EntityPath(entity), body, RequireRequestId(requestId, MaxRequestIdLength), cancellationToken);

    /// <summary>Full or sparse update (set <c>Sparse = true</c>): the body carries Id and the current SyncToken (stale ⇒ 5010).</summary>
    public Task<QboResponse> UpdateAsync<TEntity>(QboCompany company, string entity, TEntity body, string requestId, CancellationToken cancellationToken)
        where TEntity : QboEntity
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(body.Id) || string.IsNullOrEmpty(body.SyncToken))
        {
            throw new ArgumentException("An update needs the entity's Id and SyncToken.", nameof(body));
        }

        return SendAsync<QboResponse>(company, HttpMethod.Post, EntityPath(entity), body, RequireRequestId(requestId, MaxRequestIdLength), cancellationToken);
    }

    /// <summary>Voids an invoice: it stays, with every amount zero (docs/quickbooks-api.md §2 "Void Invoice").</summary>
    public Task<QboResponse> VoidInvoiceAsync(QboCompany company, string id, string syncToken, string requestId, CancellationToken cancellationToken) =>
        SendAsync<QboResponse>(company, HttpMethod.Post, "invoice?operation=void", new QboInvoice { Id = id, SyncToken = syncToken }, RequireRequestId(requestId, MaxRequestIdLength), cancellationToken);

    /// <summary>Voids a payment: a sparse update with <c>include=void</c>; it stays with amount zero (docs/quickbooks-api.md §2 "Void Payment").</summary>
    public Task<QboResponse> VoidPaymentAsync(QboCompany company, string id, string syncToken, string requestId, CancellationToken cancellationToken) =>
        SendAsync<QboResponse>(company, HttpMethod.Post, "payment?operation=update&include=void", new QboPayment { Id = id, SyncToken = syncToken, Sparse = true },
            RequireRequestId(requestId, MaxRequestIdLength), cancellationToken);

    /// <summary>Deletes an Invoice or Payment (name lists cannot be deleted; they are made inactive).</summary>
    public Task<QboResponse> DeleteAsync(QboCompany company, string entity, string id, string syncToken, string requestId, CancellationToken cancellationToken) =>
        SendAsync<QboResponse>(company, HttpMethod.Post, $"{EntityPath(entity)}?operation=delete", new DeleteBody(id, syncToken), RequireRequestId(requestId, MaxRequestIdLength), cancellationToken);

    /// <summary>
    /// Sends a journaled write exactly as it was saved (<see cref="QboWriteRequest"/>): its body bytes and requestid
    /// never change between tries, so QuickBooks replays its first answer to a repeat.
    /// </summary>
    public Task<QboResponse> WriteAsync(QboCompany company, QboWriteRequest write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return SendBytesAsync<QboResponse>(company, HttpMethod.Post, write.Path, Encoding.UTF8.GetBytes(write.Body), RequireRequestId(write.RequestId, MaxRequestIdLength),
            cancellationToken);
    }

    /// <summary>A journaled batch request, sent exactly as it was saved (see <see cref="BatchAsync(QboCompany, IReadOnlyList{QboBatchItemRequest}, string, CancellationToken)"/>).</summary>
    public Task<QboBatchResponse> BatchAsync(QboCompany company, string body, string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        return SendBytesAsync<QboBatchResponse>(company, HttpMethod.Post, "batch", Encoding.UTF8.GetBytes(body), RequireRequestId(requestId, MaxBatchRequestIdLength),
            cancellationToken, isBatch: true);
    }

    /// <summary>
    /// Reads one record as QuickBooks holds it, every field kept as JSON — the base of a full update, which must send
    /// back what Jobkore does not own exactly as it is (docs/quickbooks-api.md §2: a full update empties every writable field not sent).
    /// </summary>
    public async Task<JsonObject> ReadJsonAsync(QboCompany company, QboEntityKind entity, string id, CancellationToken cancellationToken)
    {
        var name = entity.ToString();
        var envelope = await SendAsync<JsonObject>(company, HttpMethod.Get, $"{EntityPath(name)}/{Uri.EscapeDataString(id)}", null, null, cancellationToken);
        return envelope[name] as JsonObject
            ?? throw new QuickBooksException(new QuickBooksError(QuickBooksErrorKind.Transient, 200, null, null, $"QuickBooks answered the read without the {name}.", null, null));
    }

    /// <summary>
    /// Change data capture (docs/quickbooks-api.md §10): every record of <paramref name="entities"/> changed since
    /// <paramref name="changedSince"/>, as QuickBooks holds it now (a deleted transaction as a stub with
    /// <c>status: "Deleted"</c>), by entity; at most 1,000 in all, so a caller continues from the last time it received.
    /// One metered read, whatever it returns.
    /// </summary>
    public async Task<QboChanges> ChangesAsync(QboCompany company, IReadOnlyCollection<QboEntityKind> entities, DateTimeOffset changedSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var names = string.Join(',', entities.Select(e => e.ToString()));
        var since = changedSince.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var envelope = await SendAsync<JsonObject>(company, HttpMethod.Get, $"cdc?entities={Uri.EscapeDataString(names)}&changedSince={Uri.EscapeDataString(since)}",
            null, null, cancellationToken);
        return QboChanges.From(envelope, entities);
    }

    public async Task<QboQueryResponse> QueryAsync(QboCompany company, QboQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var envelope = await SendAsync<QboQueryEnvelope>(company, HttpMethod.Get, "query?" + query.ToQueryParameter(), null, null, cancellationToken);
        return envelope.QueryResponse ?? new QboQueryResponse();
    }

    /// <summary>Up to 30 independent operations in one request; each item's fault comes back in its own result (docs/quickbooks-api.md §2 "Batch").</summary>
    public Task<QboBatchResponse> BatchAsync(QboCompany company, IReadOnlyList<QboBatchItemRequest> items, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count is 0 or > QboBatchRequest.MaxItems)
        {
            throw new ArgumentException($"A batch holds 1 to {QboBatchRequest.MaxItems} items; this one has {items.Count}.", nameof(items));
        }

        if (items.Select(i => i.BId).Distinct(StringComparer.Ordinal).Count() != items.Count)
        {
            throw new ArgumentException("Every batch item needs its own bId.", nameof(items));
        }

        return SendAsync<QboBatchResponse>(company, HttpMethod.Post, "batch", new QboBatchRequest(items), RequireRequestId(requestId, MaxBatchRequestIdLength), cancellationToken, isBatch: true);
    }

    private Task<T> SendAsync<T>(QboCompany company, HttpMethod method, string pathAndQuery, object? body, string? requestId, CancellationToken cancellationToken,
        bool isBatch = false) =>
        SendBytesAsync<T>(company, method, pathAndQuery, body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), QboJson.Options), requestId,
            cancellationToken, isBatch);

    private async Task<T> SendBytesAsync<T>(QboCompany company, HttpMethod method, string pathAndQuery, byte[]? json, string? requestId, CancellationToken cancellationToken,
        bool isBatch = false)
    {
        ArgumentNullException.ThrowIfNull(company);
        var separator = pathAndQuery.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var url = company.Resource(string.Create(CultureInfo.InvariantCulture, $"{pathAndQuery}{separator}minorversion={MinorVersion}")
            + (requestId is null ? string.Empty : "&requestid=" + Uri.EscapeDataString(requestId)));

        var token = await tokens.GetAccessTokenAsync(company.RealmId, null, cancellationToken);
        var safeToRetry = method == HttpMethod.Get || requestId is not null;
        var response = await http.SendAsync(Build(method, url, json, token, company.RealmId, safeToRetry, isBatch), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token may have expired between the store's check and QBO's; one fresh token, one more try.
            response.Dispose();
            token = await tokens.GetAccessTokenAsync(company.RealmId, token, cancellationToken);
            response = await http.SendAsync(Build(method, url, json, token, company.RealmId, safeToRetry, isBatch), cancellationToken);
        }

        using (response)
        {
            var tid = response.Headers.TryGetValues("intuit_tid", out var values) ? values.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode)
            {
                throw Fail(method, pathAndQuery, QboFaults.FromResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), tid));
            }

            // Read straight from the stream: a batch answer is large, and a string of it would land on the large object heap.
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var result = await JsonSerializer.DeserializeAsync<T>(stream, QboJson.Options, cancellationToken)
                ?? throw Fail(method, pathAndQuery, new QuickBooksError(QuickBooksErrorKind.Transient, (int)response.StatusCode, null, null, "QuickBooks answered with an empty body.", null, tid));
            var fault = result switch
            {
                QboResponse r => r.Fault,
                QboQueryEnvelope q => q.Fault,
                JsonObject o when o["Fault"] is JsonObject f => f.Deserialize<QboFault>(QboJson.Options),
                _ => null,
            };
            if (fault is not null)
            {
                throw Fail(method, pathAndQuery, QboFaults.FromFault((int)response.StatusCode, fault, tid));
            }

            // A batch answers 200 with each item's own fault: those are logged with the answer's tid.
            return result is QboBatchResponse batch ? (T)(object)(batch with { IntuitTid = tid }) : result;
        }
    }

    private static HttpRequestMessage Build(HttpMethod method, Uri url, byte[]? json, string accessToken, string realmId, bool safeToRetry, bool isBatch)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        request.Options.Set(QboRequestOptions.RealmId, realmId);
        request.Options.Set(QboRequestOptions.SafeToRetry, safeToRetry);
        request.Options.Set(QboRequestOptions.IsBatch, isBatch);

        return request;
    }

    private QuickBooksException Fail(HttpMethod method, string pathAndQuery, QuickBooksError error)
    {
        // The path only up to '?': query strings hold customer names, which are not for logs.
        LogFault(logger, method.Method, pathAndQuery.Split('?')[0], error.Kind, error.Code, error.HttpStatus, error.IntuitTid);
        return new QuickBooksException(error);
    }

    private static string EntityPath(string entity)
    {
        if (string.IsNullOrEmpty(entity) || !entity.All(char.IsAsciiLetter))
        {
            throw new ArgumentException($"'{entity}' is not a QBO entity name.", nameof(entity));
        }

        return entity.ToLowerInvariant();
    }

    private static string RequireRequestId(string requestId, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(requestId) || requestId.Length > maxLength)
        {
            throw new ArgumentException($"Every write needs a stable requestid of 1 to {maxLength} characters, saved before the call and reused on retry.", nameof(requestId));
        }

        return requestId;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "QuickBooks {Method} {Path} failed: {Kind} code {Code}, HTTP {Status}, intuit_tid {IntuitTid}")]
    private static partial void LogFault(ILogger logger, string method, string path, QuickBooksErrorKind kind, string? code, int status, string? intuitTid);

    private sealed record DeleteBody(string Id, string SyncToken);
}
