package ai.moolai.control.system;

import java.sql.SQLException;
import java.util.List;

import ai.moolai.protocol.Json;
import org.postgresql.util.PGobject;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;
import org.springframework.data.jdbc.core.dialect.JdbcPostgresDialect;
import tools.jackson.databind.JsonNode;

/** Aggregates keep their JSON (features, settings) as {@link JsonNode}s; PostgreSQL keeps them as {@code jsonb}. */
@Configuration(proxyBeanMethods = false)
class JsonColumns {

    @Bean
    JdbcCustomConversions jdbcCustomConversions() {
        return JdbcCustomConversions.of(JdbcPostgresDialect.INSTANCE, List.of(new ToJsonb(), new FromJsonb()));
    }

    @WritingConverter
    static final class ToJsonb implements Converter<JsonNode, PGobject> {

        @Override
        public PGobject convert(JsonNode source) {
            PGobject json = new PGobject();
            json.setType("jsonb");
            try {
                json.setValue(source.toString());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return json;
        }
    }

    @ReadingConverter
    static final class FromJsonb implements Converter<PGobject, JsonNode> {

        @Override
        public JsonNode convert(PGobject source) {
            return Json.events().readTree(source.getValue());
        }
    }
}
