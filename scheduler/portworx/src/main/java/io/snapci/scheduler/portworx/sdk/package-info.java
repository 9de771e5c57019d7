/**
 * A small typed client for the OpenStorage SDK REST gateway that Portworx serves (port 9021 by default).
 *
 * <p>Followed: libopenstorage/openstorage {@code api/api.proto} (SDK 0.28 at commit 001ece03 for the messages and
 * services) and the generated gateway description {@code api/server/sdk/api/api.swagger.json} at commit 59b80fe2 (the
 * newer REST paths: {@code POST /v1/volumes/inspectwithfilters}, {@code GET /v1/volumes/snapshots?volume_id=},
 * {@code PUT /v1/volumes/{volume_id}} with {@code labels}); semantics from {@code api/server/sdk/volume_ops.go} at
 * commit 8f843cb3 and {@code volume_snapshot.go}. The gateway ({@code rest_gateway.go}: grpc-gateway's default
 * marshaler) writes proto field names as they are in the .proto (snake_case), 64-bit integers as strings, enums by
 * name and timestamps as RFC 3339; errors as a JSON {@code google.rpc.Status} ({@code {"code":5,"message":...}}) with
 * the HTTP status grpc-gateway's {@code HTTPStatusFromCode} gives the gRPC code.
 */
package io.snapci.scheduler.portworx.sdk;
