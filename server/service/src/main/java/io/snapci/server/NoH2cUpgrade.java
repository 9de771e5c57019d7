package io.snapci.server;

import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.FilterChainEvent;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpEvents;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

import java.io.IOException;

/**
 * Serves a request that offers an HTTP/2 upgrade ({@code Upgrade: h2c}) as the plain HTTP/1.1 request it also is.
 * Java's HttpClient offers that upgrade on every plain-HTTP request by default; Grizzly, which has no HTTP/2 here,
 * would treat such a POST as an upgraded connection and never hand its body to the application, so the request
 * would hang. Declining an upgrade by ignoring it is what RFC 9110 §7.8 allows a server to do.
 */
final class NoH2cUpgrade implements AddOn {

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int codec = builder.indexOfType(HttpServerFilter.class);
        builder.add(codec + 1, new BaseFilter() {
            @Override
            public NextAction handleEvent(FilterChainContext ctx, FilterChainEvent event) throws IOException {
                if (event.type() == HttpEvents.IncomingHttpUpgradeEvent.TYPE) {
                    HttpHeader header = ((HttpEvents.IncomingHttpUpgradeEvent) event).getHttpHeader();
                    if ("h2c".equalsIgnoreCase(header.getUpgrade())) {
                        header.getUpgradeDC().recycle();
                        header.setIgnoreContentModifiers(false);
                        return ctx.getStopAction();
                    }
                }
                return ctx.getInvokeAction();
            }
        });
    }
}
