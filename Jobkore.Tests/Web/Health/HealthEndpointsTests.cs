using System.Net;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Jobkore.Tests.Web.Health;

/// <summary>The health endpoints over HTTP, anonymous, on the app's own SQLite file.</summary>
public sealed class HealthEndpointsTests : IAsyncLifetime
{
    private readonly JobkoreAppFactory _factory = new();
    private HttpClient _client = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_factory.Folder, "jobkore.db");

    public ValueTask InitializeAsync()
    {
        // Started (migrations applied, demo data seeded) by the first client; no sign-in, and redirects are not followed.
        _client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await _client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response);
    }

    [Fact]
    public async Task Ready_MigratedDatabase_AnswersHealthyToAnAnonymousRequest()
    {
        var (status, body, response) = await GetAsync("/health/ready");

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldBe("Healthy");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Live_Running_AnswersHealthyToAnAnonymousRequest()
    {
        var (status, body, _) = await GetAsync("/health/live");

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldBe("Healthy");
    }

    [Fact]
    public async Task Ready_PendingMigration_AnswersUnhealthy503_WhileLiveStaysHealthy()
    {
        (await GetAsync("/health/ready")).Body.ShouldBe("Healthy");

        // As if this build were deployed on a database one migration behind it.
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM __EFMigrationsHistory WHERE MigrationId = (SELECT MAX(MigrationId) FROM __EFMigrationsHistory)";
            (await command.ExecuteNonQueryAsync(Ct)).ShouldBe(1);
        }

        var (status, body, _) = await GetAsync("/health/ready");
        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.ShouldBe("Unhealthy");
        (await GetAsync("/health/live")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_DatabaseFileGone_AnswersUnhealthy503_WithoutCreatingAnEmptyOne_WhileLiveStaysHealthy()
    {
        (await GetAsync("/health/ready")).Body.ShouldBe("Healthy");

        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_factory.Folder, "jobkore.db*"))
        {
            File.Delete(file);
        }

        var (status, body, _) = await GetAsync("/health/ready");
        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.ShouldBe("Unhealthy");
        File.Exists(DatabasePath).ShouldBeFalse();
        var live = await GetAsync("/health/live");
        live.Status.ShouldBe(HttpStatusCode.OK);
        live.Body.ShouldBe("Healthy");
    }
}
