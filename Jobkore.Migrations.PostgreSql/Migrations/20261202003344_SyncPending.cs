using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobkore.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class SyncPending : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncPending",
                columns: table => new
                {
                    BusinessId = table.Column<int>(type: "integer", nullable: false),
                    RealmId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    EntityType = table.Column<int>(type: "integer", nullable: false),
                    EntityId = table.Column<int>(type: "integer", nullable: false),
                    Waiting = table.Column<bool>(type: "boolean", nullable: false),
                    Failed = table.Column<bool>(type: "boolean", nullable: false),
                    Flagged = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncPending", x => new { x.BusinessId, x.RealmId, x.EntityType, x.EntityId });
                    table.ForeignKey(
                        name: "FK_SyncPending_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncPending");
        }
    }
}
