"""A TCP relay in front of a device's dropbear for link faults: throttles each direction to
link_bytes_per_second and cuts the connection once the client sent upload_cut_after_bytes."""
import asyncio


class Relay:
    def __init__(self, target_port, bytes_per_second=None, cut_after=None):
        self.target_port, self.rate, self.cut_after = target_port, bytes_per_second, cut_after
        self.writers = set()

    async def pump(self, reader, writer, limit):
        sent = 0
        chunk = max(1, min(16384, self.rate // 10)) if self.rate else 65536
        try:
            while True:
                data = await reader.read(chunk)
                if not data:
                    break
                if limit is not None and sent + len(data) >= limit:
                    writer.write(data[:limit - sent])
                    await writer.drain()
                    break
                writer.write(data)
                await writer.drain()
                sent += len(data)
                if self.rate:
                    await asyncio.sleep(len(data) / self.rate)
        except (ConnectionError, OSError):
            pass

    async def handle(self, client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        pair = {client_writer, server_writer}
        self.writers |= pair
        await asyncio.wait([asyncio.create_task(self.pump(client_reader, server_writer, self.cut_after)),
                            asyncio.create_task(self.pump(server_reader, client_writer, None))],
                           return_when=asyncio.FIRST_COMPLETED)
        for writer in pair:
            writer.transport.abort()
        self.writers -= pair

    def close(self):
        """Aborts every relayed connection (the device dropped off the network)."""
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()
