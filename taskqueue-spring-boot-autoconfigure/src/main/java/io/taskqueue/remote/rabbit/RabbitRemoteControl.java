package io.taskqueue.remote.rabbit;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.taskqueue.remote.RemoteControlCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Celery's pidbox on RabbitMQ: a {@code <node>.celery.pidbox} queue bound to the
 * {@code celery.pidbox} fanout exchange (declared exactly as Celery declares them), answered on the
 * {@code reply.celery.pidbox} exchange with the requester's id as routing key. The subscription is
 * checked every 2 s and renewed after a lost connection.
 */
public class RabbitRemoteControl implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RabbitRemoteControl.class);

	private final ConnectionFactory connectionFactory;

	private final RemoteControlCommands commands;

	private final JsonMapper mapper;

	private volatile @Nullable Channel channel;

	private @Nullable ScheduledExecutorService watchdog;

	/**
	 * Create the responder.
	 * @param connectionFactory the broker's connections
	 * @param commands what to answer
	 * @param mapper the JSON mapper
	 */
	public RabbitRemoteControl(ConnectionFactory connectionFactory, RemoteControlCommands commands, JsonMapper mapper) {
		this.connectionFactory = connectionFactory;
		this.commands = commands;
		this.mapper = mapper;
	}

	@Override
	public synchronized void start() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-pidbox-");
		threads.setDaemon(true);
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(threads);
		scheduler.scheduleWithFixedDelay(this::subscribeIfNeeded, 0, 2, TimeUnit.SECONDS);
		this.watchdog = scheduler;
	}

	/** Subscribe, and subscribe again whenever the channel was lost (broker restart, connection drop). */
	private synchronized void subscribeIfNeeded() {
		Channel current = this.channel;
		if (current != null && current.isOpen()) {
			return;
		}
		try {
			Channel pidbox = this.connectionFactory.createConnection().createChannel(false);
			String queue = this.commands.nodeName() + ".celery.pidbox";
			pidbox.exchangeDeclare("celery.pidbox", BuiltinExchangeType.FANOUT, false);
			pidbox.queueDeclare(queue, false, false, true, Map.of("x-expires", 10000, "x-message-ttl", 300000));
			pidbox.queueBind(queue, "celery.pidbox", "");
			this.channel = pidbox;
			pidbox.basicConsume(queue, true, new DefaultConsumer(pidbox) {
				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) {
					onRequest(body);
				}
			});
			logger.info("Answering Celery remote control as " + this.commands.nodeName());
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not subscribe to Celery remote control yet: " + ex.getMessage());
		}
	}

	@SuppressWarnings("unchecked")
	private void onRequest(byte[] body) {
		try {
			Map<String, Object> request = this.mapper.readValue(body, Map.class);
			Map<String, Object> reply = this.commands.handle(request);
			Channel pidbox = this.channel;
			if (reply != null && pidbox != null && request.get("reply_to") instanceof Map<?, ?> replyTo) {
				AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
					.contentEncoding("utf-8")
					.deliveryMode(1)
					.headers(Map.of("ticket", String.valueOf(request.get("ticket")), "clock", 1))
					.build();
				pidbox.basicPublish(String.valueOf(replyTo.get("exchange")), String.valueOf(replyTo.get("routing_key")),
						properties, this.mapper.writeValueAsBytes(reply));
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not answer a remote-control request: " + ex.getMessage());
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService scheduler = this.watchdog;
		this.watchdog = null;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
		Channel pidbox = this.channel;
		this.channel = null;
		if (pidbox != null && pidbox.isOpen()) {
			try {
				pidbox.close();
			}
			catch (IOException | java.util.concurrent.TimeoutException ex) {
				logger.debug("Could not close the remote-control channel", ex);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.watchdog != null;
	}

}
