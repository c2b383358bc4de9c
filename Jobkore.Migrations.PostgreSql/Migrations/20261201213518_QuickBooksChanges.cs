using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Jobkore.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class QuickBooksChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Drift",
                table: "SyncRecords",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DriftFields",
                table: "SyncRecords",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DriftFoundAt",
                table: "SyncRecords",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "QboFields",
                table: "SyncRecords",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "QboHash",
                table: "SyncRecords",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ChangesCheckedUpTo",
                table: "QuickBooksConnections",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "QuickBooksWebhookEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RealmId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    EventId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Entity = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    EntityId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Operation = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DeletedId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    OccurredAt = table.Column<long>(type: "bigint", nullable: true),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    ProcessedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuickBooksWebhookEvents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_RealmId_EntityType_QboId",
                table: "SyncRecords",
                columns: new[] { "RealmId", "EntityType", "QboId" });

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksWebhookEvents_RealmId_ProcessedAt",
                table: "QuickBooksWebhookEvents",
                columns: new[] { "RealmId", "ProcessedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksWebhookEvents_RealmId_Source_EventId",
                table: "QuickBooksWebhookEvents",
                columns: new[] { "RealmId", "Source", "EventId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksWebhookEvents_ReceivedAt",
                table: "QuickBooksWebhookEvents",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuickBooksWebhookEvents");

            migrationBuilder.DropIndex(
                name: "IX_SyncRecords_RealmId_EntityType_QboId",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "Drift",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "DriftFields",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "DriftFoundAt",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "QboFields",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "QboHash",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "ChangesCheckedUpTo",
                table: "QuickBooksConnections");
        }
    }
}
